package dev.rollgate.operator.rollout;

/** Condition types, condition reasons and Event reasons, kept together (CamelCase, per API conventions). */
public final class Reasons {
  private Reasons() {}

  // condition types
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String DEPENDENCIES_READY = "DependenciesReady";
  /** Registry resolution only: whether spec.image's tag was resolved to a digest. */
  public static final String IMAGE_RESOLVED = "ImageResolved";

  // reasons shared by conditions and events
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
  /** Event: a revert restores a known-good digest its tag no longer names. */
  public static final String KNOWN_GOOD_TAG_MOVED = "KnownGoodTagMoved";

  // failure causes (also failedImage.reason)
  public static final String CRASH_LOOP = "CrashLoopBackOff";
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
  public static final String ERR_IMAGE_PULL = "ErrImagePull";
  public static final String INVALID_IMAGE_NAME = "InvalidImageName";
  public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  /** No progress for spec.rollout.timeoutSeconds. */
  public static final String ROLLOUT_TIMEOUT = "RolloutTimeout";
  /** Not complete within spec.rollout.maxDurationSeconds, progress or not. */
  public static final String MAX_DURATION_EXCEEDED = "MaxDurationExceeded";
}
