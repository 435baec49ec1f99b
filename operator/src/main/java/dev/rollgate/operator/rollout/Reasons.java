package dev.rollgate.operator.rollout;

import java.util.Locale;

/** Condition types, condition reasons and Event reasons, kept together (CamelCase, per API conventions). */
public final class Reasons {
    private Reasons() {}

    /**
     * A message from its template: {@code XXX_MESSAGE} next to the reason {@code XXX} it goes with.
     * Every placeholder is {@code %s}, so a value reads as string concatenation would write it.
     */
    public static String text(String template, Object... values) {
        return String.format(Locale.ROOT, template, values);
    }

    // condition types
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    /**
     * kstatus: True only when both tiers run spec.image, complete and available, and nothing is
     * wrong; False while a rollout, a revert, a hold or a failure is in place.
     */
    public static final String READY = "Ready";
    /** kstatus abnormal-true: the operator is still working towards spec (rollout, revert, gate, restore, waiting). */
    public static final String RECONCILING = "Reconciling";
    /** kstatus abnormal-true: no progress without a change from outside (rolled back, failed, held, a refused write). */
    public static final String STALLED = "Stalled";
    /** Whether the API server accepted the last write of the owned objects (Deployments, Service, Jobs). */
    public static final String SYNCED = "Synced";

    public static final String DEPENDENCIES_READY = "DependenciesReady";
    /** Registry resolution only: whether spec.image's tag was resolved to a digest. */
    public static final String IMAGE_RESOLVED = "ImageResolved";

    public static final String UNRESOLVED_MESSAGE =
            "Not rolling to %s until the registry resolves it (%s %s failed; " + "next in %ss): %s";
    public static final String UNRESOLVED_EVENT = "Cannot resolve %s; nothing is rolled until it resolves: %s";
    /** After a failed rollout whose Breaking migration ran: whether and how the previous state can come back. */
    public static final String RESTORE_AVAILABLE = "RestoreAvailable";

    // reasons shared by conditions and events
    /** Synced True: every owned object the last reconcile wrote was accepted. */
    public static final String APPLIED = "Applied";

    public static final String APPLIED_MESSAGE = "The API server accepted every owned object";
    public static final String APPLIED_AGAIN = "The API server accepts the owned objects again";
    /** Synced False (and Stalled): the API server refused a write of an owned object; the message is its own. */
    public static final String APPLY_FAILED = "ApplyFailed";
    /** Ready True: both tiers run spec.image, complete and available. */
    public static final String ROLLED_OUT = "RolledOut";

    public static final String ROLLED_OUT_MESSAGE = "Both tiers run %s: %s";
    /** The rollout in flight was stopped with the rollgate.dev/abort annotation (also failedImage.reason). */
    public static final String ABORTED = "Aborted";

    public static final String ABORTED_WHY = "rollout aborted";
    public static final String ABORTED_MESSAGE = "aborted with rollgate.dev/abort=%s";
    public static final String ABORTED_WHAT = "Rollout to %s";
    /** Event: a new rollgate.dev/abort value found no rollout in flight. */
    public static final String NOTHING_TO_ABORT = "NothingToAbort";

    public static final String NOTHING_TO_ABORT_MESSAGE = "rollgate.dev/abort=%s: no rollout in flight%s";
    public static final String NOTHING_TO_ABORT_REVERT_GOES_ON = " (a revert to %s is, and goes on)";
    public static final String ALL_REPLICAS_AVAILABLE = "AllReplicasAvailable";
    public static final String REPLICAS_UNAVAILABLE = "ReplicasUnavailable";
    public static final String COUNTS_MESSAGE = "api %s/%s available (%s updated), worker %s/%s available (%s updated)";
    public static final String ROLLOUT_STARTED = "RolloutStarted";
    public static final String ROLLOUT_STARTED_MESSAGE = "Rolling api and worker from %s to %s%s";
    public static final String FIRST_INSTALL = "nothing (first install)";
    public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
    public static final String ROLLOUT_IN_PROGRESS_MESSAGE = "Rolling api and worker to %s: %s";
    /** Steady, but not both tiers complete on status.image yet. */
    public static final String STEADY_IN_PROGRESS_MESSAGE = "Bringing both tiers to %s";

    public static final String ROLLOUT_SUCCEEDED = "RolloutSucceeded";
    public static final String ROLLOUT_SUCCEEDED_MESSAGE = "Rollout to %s succeeded: %s";
    /** A rollout judged failed with nothing reverted whose pods came up afterwards. */
    public static final String ROLLOUT_SUCCEEDED_LATE = "RolloutSucceededLate";

    public static final String ROLLOUT_SUCCEEDED_LATE_MESSAGE =
            "Rollout to %s completed after it was judged failed " + "(%s): %s";
    public static final String ROLLOUT_SUCCEEDED_LATE_CONDITION =
            "Both tiers run %s, complete after the rollout was " + "judged failed (%s)";
    public static final String ROLLOUT_SUCCEEDED_LATE_HISTORY =
            ROLLOUT_SUCCEEDED_LATE + ": complete after it was " + "judged failed (%s)";
    public static final String ROLLOUT_SUPERSEDED = "RolloutSuperseded";
    public static final String ROLLOUT_SUPERSEDED_MESSAGE = "Rollout to %s superseded by %s";
    public static final String SUPERSEDED_WHY = "rollout superseded by %s";
    public static final String SUPERSEDED_HISTORY = "spec.image changed to %s%s";
    public static final String GATE_ABANDONED_NOT_RUN = "; not run";
    public static final String GATE_ABANDONED_LEFT = "; the Job, if it runs, is left to finish";
    public static final String BACKUP_LEFT_NOTE = " (its backup Job %s is left to finish)";
    public static final String MIGRATION_LEFT_NOTE = " (its migration Job %s is left to finish)";
    public static final String ROLLOUT_FAILED = "RolloutFailed";
    /** The rollout failed and nothing is reverted; the last part says why not. */
    public static final String ROLLOUT_FAILED_MESSAGE = "Rollout to %s failed: %s; %s";

    public static final String ROLLOUT_FAILED_REVERTING_MESSAGE =
            "Rollout to %s failed: %s; reverting both tiers to " + "%s%s";
    public static final String NOTHING_TO_REVERT_TO = "there is no earlier image to revert to (first install)";
    public static final String ON_FAILURE_HOLD = "onFailure is Hold: both tiers are left as they are";
    public static final String REVERT_IN_PROGRESS = "RevertInProgress";
    public static final String REVERT_IN_PROGRESS_MESSAGE = "Reverting both tiers to %s: %s";
    public static final String REVERT_INTERRUPTED_HISTORY = "revert to %s interrupted by a new spec.image %s";
    public static final String ROLLED_BACK = "RolledBack";
    public static final String ROLLED_BACK_MESSAGE = "%s failed (%s); both tiers rolled back to %s";
    public static final String REVERT_FAILED = "RevertFailed";
    public static final String REVERT_FAILED_MESSAGE =
            "Revert to %s failed: %s; Rollgate leaves both tiers as they are";
    public static final String REVERT_FAILED_HISTORY = REVERT_FAILED + ": %s";
    public static final String STEADY = "Steady";
    /** Progressing and Degraded once both tiers run status.image (also a success's words). */
    public static final String STEADY_MESSAGE = "Both tiers run %s";

    public static final String PAUSED = "RolloutPaused";
    public static final String PAUSED_MESSAGE =
            "spec.rollout.paused is true: Rollgate changes nothing until it is set " + "back to false";
    public static final String PAUSED_EVENT = "Rollout paused%s";
    public static final String PAUSED_ON_THE_WAY = " on the way to %s";
    public static final String RESUMED = "RolloutResumed";
    public static final String RESUMED_MESSAGE = "Rollout resumed";
    public static final String RESUMED_TO_MESSAGE = "Rollout to %s resumed";
    public static final String WAITING_FOR_DEPENDENCIES = "WaitingForDependencies";
    public static final String WAITING_FOR_DEPENDENCIES_MESSAGE = "Waiting for dependencies before rolling to %s: %s";
    public static final String FAILED_IMAGE_NOT_RETRIED = "FailedImageNotRetried";
    public static final String FAILED_IMAGE_NOT_RETRIED_MESSAGE =
            "%s failed (%s) and is not rolled again until the spec "
                    + "changes or the "
                    + "rollgate.dev/retry annotation is bumped";
    public static final String AS_EXPECTED = "AsExpected";
    public static final String ALL_DEPENDENCIES_READY = "AllDependenciesReady";
    public static final String ALL_DEPENDENCIES_READY_MESSAGE = "Ready: %s";
    public static final String DEPENDENCIES_NOT_READY = "DependenciesNotReady";
    public static final String DEPENDENCY_NOT_READY = "StatefulSet %s %s";
    public static final String NO_DEPENDENCIES = "NoDependencies";
    public static final String NO_DEPENDENCIES_MESSAGE = "No dependency StatefulSets declared";
    public static final String RESOLVED = "Resolved";
    public static final String RESOLVED_MESSAGE = "%s resolved to %s when the rollout started; both tiers roll to %s";
    public static final String RESOLVED_NOTE = " (%s, resolved by the registry)";
    public static final String BACKUP_STARTED = "BackupStarted";
    public static final String BACKUP_STARTED_MESSAGE =
            "Backing up the database (Job %s) before the Breaking migration "
                    + "for %s%s; then migrating (Job %s) and rolling api and worker from %s; neither tier changes until both "
                    + "complete";
    public static final String BACKUP_RUNNING = "BackupRunning";
    public static final String BACKUP_RUNNING_MESSAGE =
            "Backup Job %s runs before the Breaking migration for %s; %s " + "until it and the migration complete";
    public static final String BACKUP_SUCCEEDED = "BackupSucceeded";
    public static final String BACKUP_SUCCEEDED_MESSAGE =
            "Backup %s complete (writes after %s are not in it); " + "migrating for %s (Job %s, Breaking)";
    /** RestoreAvailable True: a backup from before the Breaking migration can be restored on request. */
    public static final String BACKUP_TAKEN = "BackupTaken";

    public static final String BACKUP_TAKEN_MESSAGE = "kubectl annotate apideployment %s rollgate.dev/restore=%s "
            + "restores the "
            + "database from backup %s (taken %s, before migration Job %s; every write after it is lost), with both tiers "
            + "scaled to 0, then reverts both tiers to %s; to try %s again instead, bump the rollgate.dev/retry annotation";
    public static final String RESTORE_STARTED = "RestoreStarted";
    public static final String RESTORE_STARTED_MESSAGE =
            "Restoring the database from backup %s (taken %s): every write "
                    + "after %s is lost; scaling both tiers to 0, then restore Job %s, then both tiers back on %s";
    public static final String RESTORE_IN_PROGRESS = "RestoreInProgress";
    public static final String RESTORE_SCALING_DOWN_MESSAGE =
            "Restoring backup %s: waiting for both tiers to stop (%s " + "pods left)";
    public static final String RESTORE_RUNNING_MESSAGE =
            "Restoring backup %s: restore Job %s runs; both tiers are at 0 " + "replicas";
    /** The restore Job completed: the database is as the backup has it. */
    public static final String DATABASE_RESTORED = "DatabaseRestored";

    public static final String DATABASE_RESTORED_MESSAGE =
            "Database restored from backup %s: writes after %s are lost; " + "reverting both tiers to %s";
    public static final String DATABASE_RESTORED_HISTORY =
            DATABASE_RESTORED + ": backup %s taken %s; writes after it " + "are lost";
    public static final String RESTORE_FAILED = "RestoreFailed";
    public static final String RESTORE_FAILED_MESSAGE = "Restore Job %s failed: %s; both tiers stay at 0 replicas (the "
            + "database may be "
            + "partly restored): restore it by hand, then set spec.image to %s";
    public static final String RESTORE_NOT_AGAIN =
            "The restore of %s was tried and failed; Rollgate does not run it " + "again";
    public static final String RESTORE_JOB_LOST = "Job %s was deleted before it finished";
    /** The rollgate.dev/restore annotation named no backup that can be restored now. */
    public static final String RESTORE_REJECTED = "RestoreRejected";

    public static final String RESTORE_REJECTED_MESSAGE = "Not restoring %s: %s";
    public static final String NO_BACKUP_TO_RESTORE =
            "there is no backup to restore (status.lastKnownGood.backup is " + "empty)";
    public static final String OTHER_BACKUP = "the backup that can be restored is %s, not %s";
    public static final String NOT_HELD = "a restore is only done after a failed rollout held by a Breaking migration "
            + "(RestoreAvailable True); "
            + "now the phase is %s";
    public static final String NO_RESTORE_COMMAND = "spec.backup is not set, so there is no restore command to run";
    public static final String MIGRATION_STARTED = "MigrationStarted";
    public static final String MIGRATION_STARTED_MESSAGE = "Migrating for %s%s (Job %s, %s) before rolling api and "
            + "worker from %s; "
            + "neither tier changes until it completes";
    public static final String MIGRATION_RUNNING = "MigrationRunning";
    public static final String MIGRATION_RUNNING_MESSAGE = "Migration Job %s runs %s; %s until it completes";
    public static final String NOTHING_IS_INSTALLED = "nothing is installed";
    public static final String BOTH_TIERS_STAY_ON = "both tiers stay on %s";
    public static final String MIGRATION_SUCCEEDED = "MigrationSucceeded";
    public static final String MIGRATION_SUCCEEDED_MESSAGE =
            "Migration Job %s completed; rolling api and worker from " + "%s to %s";
    /** RestoreAvailable False: the Breaking migration ran with no backup to go back to. */
    public static final String NO_BACKUP = "NoBackup";

    public static final String NO_BACKUP_MESSAGE = "No backup was taken before migration Job %s (started %s): to go "
            + "back, restore the "
            + "database to its state before then, then set spec.image to %s; to try %s again, bump the rollgate.dev/retry "
            + "annotation";
    /** Progressing False: a rollout failed after its Breaking migration, and the tiers are held. */
    public static final String HELD_AFTER_BREAKING_MIGRATION = "HeldAfterBreakingMigration";

    public static final String HELD_AFTER_BREAKING_MIGRATION_TAIL =
            "its migration (Job %s) was Breaking, so %s may not "
                    + "work on the migrated "
                    + "schema: both tiers are left as they are (see the RestoreAvailable condition)";
    /** Event: a revert restores a known-good digest its tag no longer names. */
    public static final String KNOWN_GOOD_TAG_MOVED = "KnownGoodTagMoved";

    public static final String KNOWN_GOOD_TAG_MOVED_MESSAGE = "Reverting to %s: %s now names %s, not the known-good %s";
    public static final String KNOWN_GOOD_TAG_MOVED_NOTE =
            "; %s now names %s, the revert restores %s, the bits that " + "ran when it was known good";

    // failure causes (also failedImage.reason)
    public static final String CRASH_LOOP = "CrashLoopBackOff";
    /** A pod that cannot start (failFast); the last part is its own words in brackets, if any. */
    public static final String POD_FAILURE_MESSAGE = "pod %s is in %s%s";

    public static final String POD_FAILURE_DETAIL = " (%s)";
    public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    public static final String INVALID_IMAGE_NAME = "InvalidImageName";
    /** The tier's pods cannot be created: the API server refuses them (Pod Security Admission, quota, a webhook). */
    public static final String FAILED_CREATE = "FailedCreate";

    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
    public static final String PROGRESS_DEADLINE_EXCEEDED_MESSAGE = "a Deployment made no progress within %ss (%s)";
    /** No progress for spec.rollout.timeoutSeconds. */
    public static final String ROLLOUT_TIMEOUT = "RolloutTimeout";

    public static final String ROLLOUT_TIMEOUT_MESSAGE = "no progress for %ss (%s)";
    /** Not complete within spec.rollout.maxDurationSeconds, progress or not. */
    public static final String MAX_DURATION_EXCEEDED = "MaxDurationExceeded";

    public static final String MAX_DURATION_EXCEEDED_MESSAGE = "not complete within maxDurationSeconds %ss (%s)";
    /** The migration Job failed (its container exited non-zero, or its pod failed). */
    public static final String MIGRATION_FAILED = "MigrationFailed";

    public static final String MIGRATION_FAILED_WHAT = "Migration Job %s of %s";
    public static final String NOTHING_INSTALLED = "nothing was installed";
    public static final String BOTH_RUN = "both run %s";
    /** A Job before the tiers failed (backup, migration, or aborted while it ran). */
    public static final String GATE_FAILED_MESSAGE = "%s failed: %s; neither tier was changed (%s)";
    /** The migration Job did not finish within spec.migration.timeoutSeconds. */
    public static final String MIGRATION_TIMEOUT = "MigrationTimeout";

    public static final String JOB_TIMEOUT_MESSAGE = "Job %s did not finish within %ss";
    /** The migration Job was deleted before it finished; it is not run again for the same rollout. */
    public static final String MIGRATION_JOB_LOST = "MigrationJobLost";

    public static final String JOB_LOST_MESSAGE = "Job %s was deleted before it finished; it is not run twice for one "
            + "rollout "
            + "(bump the rollgate.dev/retry annotation to start over)";
    /** The backup Job before a Breaking migration failed; the migration did not run. */
    public static final String BACKUP_FAILED = "BackupFailed";

    public static final String BACKUP_FAILED_WHAT = "Backup Job %s before the migration for %s";
    public static final String MIGRATION_NOT_RUN = "not run: the backup before it failed";
    public static final String BACKUP_TIMEOUT = "BackupTimeout";
    public static final String BACKUP_JOB_LOST = "BackupJobLost";
}
