package dev.rollgate.clinic.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadinessGateTest {

    private final ReadinessGate gate = new ReadinessGate();

    @Test
    void aClosedGateAnswersFalseAtTheDeadlineInsteadOfHanging() throws InterruptedException {
        long started = System.nanoTime();
        assertFalse(gate.awaitOpen(100, TimeUnit.MILLISECONDS));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waitedMillis >= 100 && waitedMillis < 2000, "waited " + waitedMillis + " ms");
    }

    @Test
    void openingWakesWaitersWellBeforeTheirDeadline() throws Exception {
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            try {
                assertTrue(gate.awaitOpen(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        });
        gate.open();
        assertTrue(waiter.get(5, TimeUnit.SECONDS) < 5000);
    }

    @Test
    void closesAgainAfterOpening() throws InterruptedException {
        gate.open();
        assertTrue(gate.awaitOpen(0, TimeUnit.MILLISECONDS));
        gate.close();
        assertFalse(gate.isOpen());
        assertFalse(gate.awaitOpen(10, TimeUnit.MILLISECONDS));
    }
}
