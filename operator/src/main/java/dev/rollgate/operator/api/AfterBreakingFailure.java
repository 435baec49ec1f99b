package dev.rollgate.operator.api;

/** What a failed rollout whose Breaking migration has run does to the tiers. */
public enum AfterBreakingFailure {
    /** Leave both tiers as they are (phase Failed) until the user decides; the default. */
    Hold,
    /** Revert the image anyway, as after an Expand migration: for apps known to cope. */
    RevertImage
}
