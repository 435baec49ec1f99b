package dev.rollgate.operator.api;

/** What a failed rollout leads to. */
public enum OnFailure {
    /** Patch both tiers back to the last known-good image. */
    Revert,
    /** Leave the failed rollout in place, phase Failed, for someone to look at. */
    Hold
}
