package dev.rollgate.operator.api;

/** Whether the image before a migration still works on the schema after it. */
public enum Compatibility {
    /**
     * The migration only adds (expand/contract's expand step): the previous image works on the new
     * schema, so putting the previous image back after a failed rollout is safe.
     */
    Expand,
    /**
     * The previous image may not work on the new schema: after a failed rollout Rollgate does not
     * put it back by itself (see {@link Migration#afterFailure}).
     */
    Breaking
}
