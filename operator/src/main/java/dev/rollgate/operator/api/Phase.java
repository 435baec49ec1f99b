package dev.rollgate.operator.api;

/** Where an ApiDeployment's rollout stands; shown in {@code kubectl get apid}. */
public enum Phase {
    /**
     * A rollout is due and has not started: the registry has not resolved spec.image yet
     * (imageResolution Registry); the ImageResolved condition says why, and nothing is touched.
     */
    Pending,
    /** A rollout (or first install) is due but a dependency StatefulSet is not ready: nothing is touched or judged. */
    WaitingForDependencies,
    /** Before a Breaking migration: the backup Job (spec.backup) runs; nothing else has changed. */
    BackingUp,
    /**
     * The rollout's migration Job (spec.migration) runs the new image; neither tier has changed and
     * neither changes until it completes.
     */
    Migrating,
    /** Both tiers are being rolled to {@code status.targetImage}. */
    Progressing,
    /** Both tiers run {@code status.image} and are complete. */
    Available,
    /** The rollout failed; both tiers are being put back on the last known-good image. */
    RollingBack,
    /** The revert completed: both tiers run the last known-good image; {@code status.failedImage} says why. */
    RolledBack,
    /** The rollout failed with nothing to revert to, onFailure is Hold, or the revert itself failed. */
    Failed,
    /**
     * A restore asked for with the rollgate.dev/restore annotation: both tiers scaled to 0, the
     * restore Job, then both tiers back on the last known-good image.
     */
    Restoring,
    /** {@code spec.rollout.paused} is true: nothing is changed. */
    Paused
}
