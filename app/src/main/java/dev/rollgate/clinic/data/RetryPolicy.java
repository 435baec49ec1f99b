package dev.rollgate.clinic.data;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": the n-th wait is half a fixed step plus a random half, where the
 * step doubles from {@code initial} up to {@code max}. The fixed half keeps retries from hammering the
 * database; the random half keeps many clients from retrying in lock-step.
 *
 * <p>Worked example, initial 50 ms, max 500 ms: the step is 50, 100, 200, 400, 500, 500 … ms, so the first
 * wait lies in [25, 50] ms, the third in [100, 200] ms and every wait from the fifth on in [250, 500] ms.
 * The total time is bounded by the caller's deadline, not here.
 */
public record RetryPolicy(Duration initial, Duration max) {

    public RetryPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
    }

    /**
     * @param failedAttempts how many attempts have failed so far (1 after the first failure)
     * @param random a source of uniform values in [0, 1)
     */
    public Duration backoff(int failedAttempts, DoubleSupplier random) {
        long stepNanos = step(failedAttempts);
        long half = stepNanos / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (stepNanos - half)));
    }

    private long step(int failedAttempts) {
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        // Doubling more than 40 times overflows long nanos long after reaching any sane max.
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
        long step = initialNanos << doublings;
        return step <= 0 || step > maxNanos ? maxNanos : step;
    }
}
