package dev.rollgate.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling for tests, for what fabric8's {@code waitUntilCondition} (one resource, watched) does
 * not cover: lists, logs, several objects. Polls every 200 ms.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(200);

    private Await() {}

    /** Waits until {@code probe} yields a value, and returns it. */
    public static <T> T until(Duration timeout, String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            sleep();
        }
    }

    /** Waits until the condition holds. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
