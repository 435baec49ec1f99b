package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.Phase;
import java.util.Objects;

/**
 * Where a rollout stands, as the decider sees it: the one source of the rollout's states and of
 * the order in which they are told apart. {@link #of} derives it from (spec, status, request
 * annotations); every input maps to exactly one state, the first whose test holds, top to bottom.
 * {@link RolloutDecider} hands each state to one handler. {@code status.phase} is what users see;
 * this is finer (a held rollout and a restore asked for are both phase Failed).
 */
public enum RolloutState {
    /**
     * {@code spec.rollout.paused} is true. Phase Paused, except that a revert, a backup, a migration
     * or a restore in flight keeps its phase so that resuming finishes it. Nothing is applied.
     * Next: whatever the status says once paused is false (a rollout resumes in {@link #RollingOut}
     * with its clock restarted).
     */
    Paused,
    /**
     * The rollgate.dev/abort annotation carries a value not in {@code status.abortHandled}. The value
     * is recorded; a rollout in flight to spec.image fails with reason Aborted (a revert starts, or a
     * gate Job is abandoned and the rollout is Failed). Next: {@link #Reverting}, or the state the
     * status is in when nothing was in flight.
     */
    Aborting,
    /**
     * Phase Restoring: both tiers at 0, then the restore Job ({@code status.restore} holds the step).
     * Next: {@link #Reverting} to the known-good image once the database is back, or Failed.
     */
    Restoring,
    /**
     * The rollgate.dev/restore annotation names the held rollout's backup and status has not answered
     * it (a request that cannot be honoured is rejected before this is derived). Next: {@link #Restoring}.
     */
    RestoreAsked,
    /**
     * Phase RollingBack with a {@code targetImage}: both tiers go back to lastKnownGood (pinned to its
     * digest when known), judged against {@code revertStartedAt}. Next: RolledBack ({@link #Steady}
     * or {@link #Blocked} on the next look), Failed, or {@link #Starting} when spec.image moves on.
     */
    Reverting,
    /**
     * Phase BackingUp with a {@code targetImage}: the backup Job before a Breaking migration runs; no
     * tier changes. Next: {@link #Migrating}, or Failed when the Job fails, or {@link #Starting} (or
     * {@link #Steady}) when spec.image changes meanwhile (superseded: the Job is left to finish,
     * marked Abandoned).
     */
    BackingUp,
    /**
     * Phase Migrating with a {@code targetImage}: the rollout's migration Job runs the target; no tier
     * changes. Next: {@link #RollingOut}, or Failed (nothing to revert) when the Job fails, or
     * {@link #Starting} (or {@link #Steady}) when spec.image changes meanwhile (superseded: the Job
     * is left to finish, marked Abandoned).
     */
    Migrating,
    /**
     * A {@code targetImage} in any other phase (Progressing, WaitingForDependencies, Paused): both
     * tiers roll to it, judged against {@code rolloutStartedAt} and {@code progress}. Next:
     * Available, {@link #Reverting}, Failed, or a new start when spec.image changes (superseded).
     */
    RollingOut,
    /**
     * No {@code targetImage}, {@code spec.image == status.image}: keep both tiers on it (phase
     * Available once both are complete, else Progressing). Next: {@link #Starting} on a new spec.image.
     */
    Steady,
    /**
     * No {@code targetImage}, spec.image is {@code status.failedImage} of this generation and retry
     * token: touch nothing (a held rollout after a Breaking migration offers a restore). Next:
     * {@link #Starting} on a spec change or retry; a late success when the failed pods come up.
     */
    Blocked,
    /**
     * No {@code targetImage} and a new spec.image: snapshot lastKnownGood, set targetImage and
     * rolloutStartedAt, then the backup, the migration or the tiers. Phase WaitingForDependencies
     * while a dependency is not ready, Pending while the registry has not resolved spec.image.
     * Next: {@link #BackingUp}, {@link #Migrating} or {@link #RollingOut}.
     */
    Starting;

    /** The state of {@code status} (the working copy) for the input's spec and annotations. */
    public static RolloutState of(RolloutInput in, ApiDeploymentStatus status) {
        String image = in.spec().image;
        boolean target = status.targetImage != null;
        if (Boolean.TRUE.equals(in.spec().rollout.paused)) {
            return Paused;
        } else if (abortAsked(in, status)) {
            return Aborting;
        } else if (status.phase == Phase.Restoring) {
            return Restoring;
        } else if (restoreAsked(in, status)) {
            return RestoreAsked;
        } else if (target && status.phase == Phase.RollingBack) {
            return Reverting;
        } else if (target && status.phase == Phase.BackingUp) {
            return BackingUp;
        } else if (target && status.phase == Phase.Migrating) {
            return Migrating;
        } else if (target) {
            return RollingOut;
        } else if (image.equals(status.image)) {
            return Steady;
        } else if (isBlocked(in, status, image)) {
            return Blocked;
        }
        return Starting;
    }

    /** A restore annotation this status has not answered yet. */
    static boolean restoreAsked(RolloutInput in, ApiDeploymentStatus status) {
        return in.restoreRequest() != null
                && !in.restoreRequest().isBlank()
                && (status.restore == null || !in.restoreRequest().equals(status.restore.requested));
    }

    /** Whether the rollgate.dev/abort annotation carries a value not handled yet. */
    static boolean abortAsked(RolloutInput in, ApiDeploymentStatus status) {
        return in.abortRequest() != null
                && !in.abortRequest().isBlank()
                && !in.abortRequest().equals(status.abortHandled);
    }

    /** Whether {@code image} failed for this generation and retry token, so it is not rolled again. */
    static boolean isBlocked(RolloutInput in, ApiDeploymentStatus status, String image) {
        FailedImage f = status.failedImage;
        return f != null
                && image.equals(f.image)
                && Objects.equals(f.generation, in.generation())
                && Objects.equals(f.retryToken, in.retryToken());
    }
}
