package dev.rollgate.operator.rollout;

/** Condition types, condition reasons and Event reasons, kept together (CamelCase, per API conventions). */
public final class Reasons {
  private Reasons() {}

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
  /** After a failed rollout whose Breaking migration ran: whether and how the previous state can come back. */
  public static final String RESTORE_AVAILABLE = "RestoreAvailable";

  // reasons shared by conditions and events
  /** Synced True: every owned object the last reconcile wrote was accepted. */
  public static final String APPLIED = "Applied";
  /** Synced False (and Stalled): the API server refused a write of an owned object; the message is its own. */
  public static final String APPLY_FAILED = "ApplyFailed";
  /** Ready True: both tiers run spec.image, complete and available. */
  public static final String ROLLED_OUT = "RolledOut";
  /** The rollout in flight was stopped with the rollgate.dev/abort annotation (also failedImage.reason). */
  public static final String ABORTED = "Aborted";
  /** Event: a new rollgate.dev/abort value found no rollout in flight. */
  public static final String NOTHING_TO_ABORT = "NothingToAbort";
  public static final String ALL_REPLICAS_AVAILABLE = "AllReplicasAvailable";
  public static final String REPLICAS_UNAVAILABLE = "ReplicasUnavailable";
  public static final String ROLLOUT_STARTED = "RolloutStarted";
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
  public static final String ROLLOUT_SUCCEEDED = "RolloutSucceeded";
  /** A rollout judged failed with nothing reverted whose pods came up afterwards. */
  public static final String ROLLOUT_SUCCEEDED_LATE = "RolloutSucceededLate";
  public static final String ROLLOUT_SUPERSEDED = "RolloutSuperseded";
  public static final String ROLLOUT_FAILED = "RolloutFailed";
  public static final String REVERT_IN_PROGRESS = "RevertInProgress";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String REVERT_FAILED = "RevertFailed";
  public static final String STEADY = "Steady";
  public static final String PAUSED = "RolloutPaused";
  public static final String RESUMED = "RolloutResumed";
  public static final String WAITING_FOR_DEPENDENCIES = "WaitingForDependencies";
  public static final String FAILED_IMAGE_NOT_RETRIED = "FailedImageNotRetried";
  public static final String AS_EXPECTED = "AsExpected";
  public static final String ALL_DEPENDENCIES_READY = "AllDependenciesReady";
  public static final String DEPENDENCIES_NOT_READY = "DependenciesNotReady";
  public static final String NO_DEPENDENCIES = "NoDependencies";
  public static final String RESOLVED = "Resolved";
  public static final String BACKUP_STARTED = "BackupStarted";
  public static final String BACKUP_RUNNING = "BackupRunning";
  public static final String BACKUP_SUCCEEDED = "BackupSucceeded";
  /** RestoreAvailable True: a backup from before the Breaking migration can be restored on request. */
  public static final String BACKUP_TAKEN = "BackupTaken";
  public static final String RESTORE_STARTED = "RestoreStarted";
  public static final String RESTORE_IN_PROGRESS = "RestoreInProgress";
  /** The restore Job completed: the database is as the backup has it. */
  public static final String DATABASE_RESTORED = "DatabaseRestored";
  public static final String RESTORE_FAILED = "RestoreFailed";
  /** The rollgate.dev/restore annotation named no backup that can be restored now. */
  public static final String RESTORE_REJECTED = "RestoreRejected";
  public static final String MIGRATION_STARTED = "MigrationStarted";
  public static final String MIGRATION_RUNNING = "MigrationRunning";
  public static final String MIGRATION_SUCCEEDED = "MigrationSucceeded";
  /** RestoreAvailable False: the Breaking migration ran with no backup to go back to. */
  public static final String NO_BACKUP = "NoBackup";
  /** Progressing False: a rollout failed after its Breaking migration, and the tiers are held. */
  public static final String HELD_AFTER_BREAKING_MIGRATION = "HeldAfterBreakingMigration";
  /** Event: a revert restores a known-good digest its tag no longer names. */
  public static final String KNOWN_GOOD_TAG_MOVED = "KnownGoodTagMoved";

  // failure causes (also failedImage.reason)
  public static final String CRASH_LOOP = "CrashLoopBackOff";
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
  public static final String ERR_IMAGE_PULL = "ErrImagePull";
  public static final String INVALID_IMAGE_NAME = "InvalidImageName";
  /** The tier's pods cannot be created: the API server refuses them (Pod Security Admission, quota, a webhook). */
  public static final String FAILED_CREATE = "FailedCreate";
  public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  /** No progress for spec.rollout.timeoutSeconds. */
  public static final String ROLLOUT_TIMEOUT = "RolloutTimeout";
  /** Not complete within spec.rollout.maxDurationSeconds, progress or not. */
  public static final String MAX_DURATION_EXCEEDED = "MaxDurationExceeded";
  /** The migration Job failed (its container exited non-zero, or its pod failed). */
  public static final String MIGRATION_FAILED = "MigrationFailed";
  /** The migration Job did not finish within spec.migration.timeoutSeconds. */
  public static final String MIGRATION_TIMEOUT = "MigrationTimeout";
  /** The migration Job was deleted before it finished; it is not run again for the same rollout. */
  public static final String MIGRATION_JOB_LOST = "MigrationJobLost";
  /** The backup Job before a Breaking migration failed; the migration did not run. */
  public static final String BACKUP_FAILED = "BackupFailed";
  public static final String BACKUP_TIMEOUT = "BackupTimeout";
  public static final String BACKUP_JOB_LOST = "BackupJobLost";
}
