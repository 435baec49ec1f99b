package dev.rollgate.clinic.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(500));

    @ParameterizedTest(name = "after {0} failure(s): between {1} and {2} ms")
    @CsvSource({
        "1, 25, 50",
        "2, 50, 100",
        "3, 100, 200",
        "4, 200, 400",
        "5, 250, 500",
        "60, 250, 500",
    })
    void doublesUpToTheCapWithEqualJitter(int failures, long lowMillis, long highMillis) {
        assertEquals(Duration.ofMillis(lowMillis), policy.backoff(failures, () -> 0.0));
        assertEquals(highMillis, policy.backoff(failures, () -> 0.999_999_999).toMillis(), 1);
    }

    @org.junit.jupiter.api.Test
    void rejectsAMaxBelowTheInitialStep() {
        assertThrows(
                IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofMillis(1)));
    }
}
