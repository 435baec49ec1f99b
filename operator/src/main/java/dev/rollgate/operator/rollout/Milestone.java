package dev.rollgate.operator.rollout;

import java.time.Duration;

/**
 * A point in a rollout's life that the metrics count, with the duration that ended there.
 *
 * @param kind what happened
 * @param duration rollout duration for SUCCEEDED, revert duration for REVERTED, zero otherwise
 */
public record Milestone(Kind kind, Duration duration) {

    public enum Kind {
        STARTED,
        SUCCEEDED,
        REVERT_ISSUED,
        REVERTED,
        FAILED
    }

    public static Milestone of(Kind kind) {
        return new Milestone(kind, Duration.ZERO);
    }
}
