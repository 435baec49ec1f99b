package dev.rollgate.operator.rollout;

/** kubectl rollout status, as a value. */
public enum RolloutVerdict {
    /** The Deployment does not exist (yet). */
    Missing,
    /** Not observed yet, or new replicas are still coming up, or old ones are still terminating. */
    InProgress,
    /** Every replica is updated and available and no old replica is left. */
    Complete,
    /** The Deployment controller reports Progressing=False, reason ProgressDeadlineExceeded. */
    DeadlineExceeded
}
