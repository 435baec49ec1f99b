package dev.rollgate.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.AfterBreakingFailure;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Backup;
import dev.rollgate.operator.api.BackupStatus;
import dev.rollgate.operator.api.KnownGoodBackup;
import dev.rollgate.operator.api.RestoreStatus;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.ImageResolutionStatus;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.Migration;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.OnFailure;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.api.TierStatus;
import dev.rollgate.operator.image.ImageResolver;
import dev.rollgate.operator.image.Resolution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per (state × observation): the decision the rollout state machine must take, and why.
 * Time is fixed: NOW is 100 s after the rollout in flight started (timeout 300 s).
 */
class RolloutDeciderTest {

  static final String V1 = "registry.example.com/clinic:1.0.0";
  static final String V2 = "registry.example.com/clinic:2.0.0";
  static final String V3 = "registry.example.com/clinic:3.0.0";
  static final String REPO = "registry.example.com/clinic";
  /** The digests V1 and V2 were pulled as. */
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  /** What V1's tag names after it was pushed again. */
  static final String D3 = "sha256:" + "3".repeat(64);
  /** V1 pinned to its known-good digest: where a revert goes when the digest is known. */
  static final String V1_PINNED = REPO + "@" + D1;
  static final Instant STARTED = Instant.parse("2026-11-28T12:00:00Z");
  static final Instant NOW = STARTED.plusSeconds(100);
  static final long GEN = 7;
  static final String MIGRATION_JOB = "clinic-migrate-0123456789";
  static final String BACKUP_JOB = "clinic-backup-0123456789";
  static final String RESTORE_JOB = "clinic-restore-0123456789";
  static final String PG = "postgres:15";

  /** A table row: a name, how to build the input, and what the decision must be. */
  record Row(String name, World world, Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Builds a RolloutInput step by step. */
  static final class World {
    ApiDeploymentSpec spec = new ApiDeploymentSpec();
    ApiDeploymentStatus status = null;
    long generation = GEN;
    String retryToken = null;
    TierObservation api = TierObservation.missing();
    TierObservation worker = TierObservation.missing();
    List<PodFailure> pods = new ArrayList<>();
    List<DependencyState> deps = new ArrayList<>();
    Instant now = NOW;
    ImageResolver registry = ImageResolver.NONE;
    List<JobObservation> jobs = new ArrayList<>();
    String restoreRequest = null;
    String abortRequest = null;
    ApplyOutcome applied = null;
    int tierPods = 3;

    World() {
      spec.image = V1;
    }

    static World spec(String image) {
      World w = new World();
      w.spec.image = image;
      return w;
    }

    World with(Consumer<World> change) {
      change.accept(this);
      return this;
    }

    /** status: phase, image, targetImage, lastKnownGood; rolloutStartedAt = STARTED when a target is set. */
    World status(Phase phase, String image, String target, String lkg) {
      status = new ApiDeploymentStatus();
      status.phase = phase;
      status.image = image;
      status.targetImage = target;
      if (lkg != null) {
        status.lastKnownGood = new LastKnownGood(lkg, null, STARTED.minusSeconds(3600).toString());
      }
      if (target != null) {
        status.rolloutStartedAt = Times.format(STARTED);
        if (phase == Phase.RollingBack) {
          status.rolloutStartedAt = Times.format(STARTED.minusSeconds(50));
          status.revertStartedAt = Times.format(STARTED);
        }
      }
      return this;
    }

    World failed(String image, String reason) {
      status.failedImage = new FailedImage();
      status.failedImage.image = image;
      status.failedImage.reason = reason;
      status.failedImage.generation = GEN;
      return this;
    }

    /** The Synced condition as a reconcile recorded it at {@code since}. */
    World synced(boolean accepted, String message, Instant since) {
      status.conditions = new ArrayList<>(status.conditions);
      Conditions.set(status.conditions, Reasons.SYNCED, accepted, accepted ? Reasons.APPLIED : Reasons.APPLY_FAILED,
          message, GEN, since);
      return this;
    }

    /** spec.migration with the given compatibility. */
    World migration(Compatibility compatibility) {
      spec.migration = new Migration();
      spec.migration.compatibility = compatibility;
      spec.migration.timeoutSeconds = 600;
      return this;
    }

    /** status.migration: the rollout in flight's Job, as recorded, started at STARTED. */
    World migrationRecorded(String image, MigrationStatus.Result result) {
      status.migration = new MigrationStatus(MIGRATION_JOB, image,
          spec.migration == null ? Compatibility.Expand : spec.migration.compatibility, Times.format(STARTED));
      status.migration.result = result;
      return this;
    }

    /** The migration Job as its controller reports it. */
    World job(JobObservation.State state, boolean timedOut) {
      return job(MIGRATION_JOB, state, timedOut);
    }

    World job(String name, JobObservation.State state, boolean timedOut) {
      jobs.add(new JobObservation(name, state, timedOut, state == JobObservation.State.Failed
          ? "BackoffLimitExceeded; exit code 1: ERROR: it failed" : null));
      return this;
    }

    /** spec.backup: pg_dump / pg_restore in the postgres image. */
    World backup() {
      spec.backup = new Backup();
      spec.backup.image = PG;
      spec.backup.command = List.of("pg-dump-to-volume");
      spec.backup.restoreCommand = List.of("pg-restore-from-volume");
      return this;
    }

    /** status.migration.backup, the backup Job of the rollout in flight. */
    World backupRecorded(MigrationStatus.Result result) {
      status.migration.backup = new BackupStatus(BACKUP_JOB, BACKUP_JOB, Times.format(STARTED));
      status.migration.backup.result = result;
      return this;
    }

    /** lastKnownGood.backup: the backup taken before the rollout in flight's migration. */
    World knownGoodBackup() {
      status.lastKnownGood.backup = new KnownGoodBackup(BACKUP_JOB, Times.format(STARTED), MIGRATION_JOB);
      return this;
    }

    /** The RestoreAvailable condition a held rollout with a backup carries. */
    World restoreAvailable() {
      status.conditions = new ArrayList<>(status.conditions);
      Conditions.set(status.conditions, Reasons.RESTORE_AVAILABLE, true, Reasons.BACKUP_TAKEN, "annotate",
          GEN, STARTED);
      return this;
    }

    /** status.restore: a restore in flight at {@code step}. */
    World restoring(RestoreStatus.Step step, MigrationStatus.Result result) {
      status.restore = new RestoreStatus();
      status.restore.requested = BACKUP_JOB;
      status.restore.step = step;
      status.restore.job = RESTORE_JOB;
      status.restore.result = result.name();
      status.restore.startedAt = Times.format(STARTED);
      restoreRequest = BACKUP_JOB;
      return this;
    }

    World tiers(String image, RolloutVerdict verdict) {
      api = tier(image, verdict, 2);
      worker = tier(image, verdict, 1);
      return this;
    }

    World podFailure(String image, String reason) {
      pods.add(new PodFailure("clinic-api-abc", image, reason, ""));
      return this;
    }

    /** lastKnownGood.digest (status must be set). */
    World knownGoodDigest(String digest) {
      status.lastKnownGood.digest = digest;
      return this;
    }

    /** What the ready pods report as imageID: the api's two, then the worker's one. */
    World imageIds(String api1, String api2, String worker1) {
      api = api.withReadyImageIds(List.of(api1, api2));
      worker = worker.withReadyImageIds(List.of(worker1));
      return this;
    }

    /** imageResolution Registry, with what the registry answers for each image (anything else: a test failure). */
    World registry(Map<String, Resolution> answers) {
      spec.rollout.imageResolution = ImageResolution.Registry;
      registry = image -> {
        Resolution r = answers.get(image);
        if (r == null) {
          throw new AssertionError("the registry was asked for " + image);
        }
        return r;
      };
      return this;
    }

    /** A rollout to spec.image waiting for the registry: failures so far, next attempt at {@code retryAt}. */
    World resolutionPending(int failures, Instant retryAt) {
      status.imageResolution = new ImageResolutionStatus(spec.image, failures, Times.format(retryAt));
      return this;
    }

    /** status.progress: the high mark so far and when it last rose. */
    World progress(Integer mark, Instant at) {
      status.progress = new RolloutProgress(mark, Times.format(at));
      return this;
    }

    /** The Deployments' progress marks now (the controller has observed the template). */
    World marks(int apiMark, int workerMark) {
      api = api.withProgress(apiMark);
      worker = worker.withProgress(workerMark);
      return this;
    }

    World dependency(boolean ready) {
      deps.add(new DependencyState("clinic-postgres", ready, ready ? "1/1 ready" : "0/1 ready"));
      return this;
    }

    RolloutInput input() {
      Map<String, JobObservation> jobs = new java.util.LinkedHashMap<>();
      this.jobs.forEach(j -> jobs.put(j.name(), j));
      return new RolloutInput("clinic", spec, generation, retryToken, restoreRequest, abortRequest, status,
          new Observations(api, worker, pods, deps, jobs, tierPods), now, registry, applied);
    }
  }

  static TierObservation tier(String image, RolloutVerdict verdict, int replicas) {
    int available = verdict == RolloutVerdict.Complete ? replicas : 0;
    Instant deadline = verdict == RolloutVerdict.DeadlineExceeded ? NOW.minusSeconds(5) : null;
    return new TierObservation(image, verdict, new TierStatus(replicas, replicas, available, available), deadline);
  }

  /** What the decision must look like. */
  static final class Expect {
    Phase phase;
    Optional<String> apply = Optional.empty();
    String image;
    String target;
    String lkg;
    String failed;
    String failedReason;
    List<String> events = List.of();
    Result history;
    Duration requeue;
    String rolloutStartedAt;
    boolean checkDigest;
    String digest;
    String progressAt;
    String jobImage;
    JobRun.Kind jobKind;
    boolean stop;
    String knownGoodBackup;
    MigrationStatus.Result migrationResult;
    List<List<String>> conditions = new ArrayList<>();

    static Expect phase(Phase phase) {
      Expect e = new Expect();
      e.phase = phase;
      return e;
    }

    Expect apply(String image) {
      this.apply = Optional.of(image);
      return this;
    }

    Expect images(String image, String target, String lkg) {
      this.image = image;
      this.target = target;
      this.lkg = lkg;
      return this;
    }

    Expect failed(String image, String reason) {
      this.failed = image;
      this.failedReason = reason;
      return this;
    }

    Expect events(String... reasons) {
      this.events = List.of(reasons);
      return this;
    }

    Expect history(Result result) {
      this.history = result;
      return this;
    }

    Expect requeue(Duration d) {
      this.requeue = d;
      return this;
    }

    /** lastKnownGood.digest, and the digest of the Succeeded history entry if one is expected. */
    Expect digest(String digest) {
      this.checkDigest = true;
      this.digest = digest;
      return this;
    }

    /** status.progress.at after the decision. */
    Expect progressAt(Instant at) {
      this.progressAt = Times.format(at);
      return this;
    }

    /** The migration Job the decision asks for, with the image it runs. */
    Expect job(String image) {
      this.jobImage = image;
      return this;
    }

    Expect jobKind(JobRun.Kind kind) {
      this.jobKind = kind;
      return this;
    }

    /** Both tiers applied with 0 replicas. */
    Expect stop() {
      this.stop = true;
      return this;
    }

    Expect knownGoodBackup(String id) {
      this.knownGoodBackup = id;
      return this;
    }

    Expect migration(MigrationStatus.Result result) {
      this.migrationResult = result;
      return this;
    }

    Expect condition(String type, String status, String reason) {
      this.conditions.add(List.of(type, status, reason));
      return this;
    }

    Expect startedAt(Instant at) {
      this.rolloutStartedAt = Times.format(at);
      return this;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        // ---- first install
        new Row("first sight starts the first install, nothing to snapshot",
            World.spec(V1).dependency(true),
            Expect.phase(Phase.Progressing).apply(V1).images(null, V1, null).events(Reasons.ROLLOUT_STARTED)
                .requeue(Duration.ofSeconds(300)).startedAt(NOW)),
        new Row("first install waits for a dependency and touches nothing",
            World.spec(V1).dependency(false),
            Expect.phase(Phase.WaitingForDependencies).images(null, null, null)
                .events(Reasons.WAITING_FOR_DEPENDENCIES)),
        new Row("first install completes: image and lastKnownGood set",
            World.spec(V1).status(Phase.Progressing, null, V1, null).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1).events(Reasons.ROLLOUT_SUCCEEDED)
                .history(Result.Succeeded)),
        new Row("first install crash-loops: nothing to revert to, Failed",
            World.spec(V1).status(Phase.Progressing, null, V1, null).tiers(V1, RolloutVerdict.InProgress)
                .podFailure(V1, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Failed).images(null, null, null).failed(V1, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED).history(Result.Failed)),

        // ---- steady
        new Row("steady and complete: keep applying, no event",
            World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1)),
        new Row("steady with drift (someone changed a tier): put it back",
            World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V3, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V1).images(V1, null, V1)),

        // ---- start
        new Row("new image: snapshot lastKnownGood before anything changes",
            World.spec(V2).status(Phase.Available, V1, null, null).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).events(Reasons.ROLLOUT_STARTED)
                .startedAt(NOW)),
        new Row("new image while a dependency is down: hold, touch nothing",
            World.spec(V2).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .dependency(false),
            Expect.phase(Phase.WaitingForDependencies).images(V1, null, V1)
                .events(Reasons.WAITING_FOR_DEPENDENCIES)),
        new Row("held start proceeds once the dependency is ready",
            World.spec(V2).status(Phase.WaitingForDependencies, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .dependency(true),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).events(Reasons.ROLLOUT_STARTED)),

        // ---- gate
        new Row("gate: in progress, reschedule at exactly the deadline",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).requeue(Duration.ofSeconds(200))),
        new Row("gate: only the api is complete, not done",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .with(w -> w.worker = tier(V2, RolloutVerdict.InProgress, 1)),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
        new Row("gate: complete on an older template does not count",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
        new Row("gate: both tiers complete, rollout succeeds",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).events(Reasons.ROLLOUT_SUCCEEDED)
                .history(Result.Succeeded)),
        new Row("fail fast: CrashLoopBackOff of a new pod reverts both tiers",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED).requeue(Duration.ofSeconds(300))),
        new Row("fail fast: ImagePullBackOff",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.IMAGE_PULL_BACK_OFF),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.IMAGE_PULL_BACK_OFF)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("fail fast: ErrImagePull",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.ERR_IMAGE_PULL),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.ERR_IMAGE_PULL)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("failFast off: a crash-looping pod is left to the deadline",
            World.spec(V2).with(w -> w.spec.rollout.failFast = false).status(Phase.Progressing, V1, V2, V1)
                .tiers(V2, RolloutVerdict.InProgress).podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
        new Row("a crash-looping pod of the old image is not a signal against the new one",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V1, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
        new Row("ProgressDeadlineExceeded on one tier reverts both",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.now = STARTED.plusSeconds(300))
                .with(w -> w.worker = new TierObservation(V2, RolloutVerdict.DeadlineExceeded, new TierStatus(),
                    STARTED.plusSeconds(300))),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1)
                .failed(V2, Reasons.PROGRESS_DEADLINE_EXCEEDED).events(Reasons.ROLLOUT_FAILED)),
        new Row("ProgressDeadlineExceeded from before this rollout started is stale",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.worker = new TierObservation(V2, RolloutVerdict.DeadlineExceeded, new TierStatus(),
                    STARTED.minusSeconds(10))),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
        new Row("a revert is not failed by the ProgressDeadlineExceeded of the rollout it undoes",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.ROLLOUT_TIMEOUT)
                .with(w -> w.now = STARTED.plusMillis(40))
                .with(w -> w.api = new TierObservation(V1, RolloutVerdict.DeadlineExceeded, new TierStatus(),
                    STARTED))
                .with(w -> w.worker = tier(V1, RolloutVerdict.InProgress, 1)),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1)),
        new Row("the rollout deadline passes (pods never ready): revert",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.now = STARTED.plusSeconds(300)),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.ROLLOUT_TIMEOUT)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("a dependency goes down mid-rollout: hold, do not judge the crash loop",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP).dependency(false),
            Expect.phase(Phase.WaitingForDependencies).images(V1, V2, V1)
                .events(Reasons.WAITING_FOR_DEPENDENCIES)),
        new Row("the dependency is back: resume with a fresh deadline",
            World.spec(V2).status(Phase.WaitingForDependencies, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .dependency(true).with(w -> w.now = STARTED.plusSeconds(1000)),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).events(Reasons.RESUMED)
                .startedAt(STARTED.plusSeconds(1000)).requeue(Duration.ofSeconds(300))),
        new Row("onFailure Hold: Failed, both tiers left as they are",
            World.spec(V2).with(w -> w.spec.rollout.onFailure = OnFailure.Hold)
                .status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED).history(Result.Failed)),

        // ---- revert
        new Row("revert in progress: keep both tiers on lastKnownGood",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.InProgress),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .requeue(Duration.ofSeconds(200))),
        new Row("revert completes: RolledBack, Warning event, history",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.RolledBack).apply(V1).images(V1, null, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLED_BACK).history(Result.RolledBack)),
        new Row("the revert itself crash-loops: Failed, no loop",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.InProgress).podFailure(V1, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Failed).images(V1, null, V1).events(Reasons.REVERT_FAILED).history(Result.Failed)),
        new Row("the revert misses its deadline: Failed",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.InProgress).with(w -> w.now = STARTED.plusSeconds(301)),
            Expect.phase(Phase.Failed).images(V1, null, V1).events(Reasons.REVERT_FAILED).history(Result.Failed)),
        new Row("revert while a dependency is down: keep applying, do not judge",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.InProgress).podFailure(V1, Reasons.CRASH_LOOP).dependency(false),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1)),
        new Row("a new image interrupts the revert: start it from lastKnownGood",
            World.spec(V3).with(w -> w.generation = GEN + 1).status(Phase.RollingBack, V1, V1, V1)
                .failed(V2, Reasons.CRASH_LOOP).tiers(V1, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V3).images(V1, V3, V1).events(Reasons.ROLLOUT_STARTED)
                .history(Result.Failed)),

        // ---- the failed image is not rolled again by itself
        new Row("after a revert the failed image is not retried",
            World.spec(V2).status(Phase.RolledBack, V1, null, V1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.RolledBack).images(V1, null, V1).failed(V2, Reasons.CRASH_LOOP)),
        new Row("a bumped retry annotation retries it",
            World.spec(V2).with(w -> w.retryToken = "1").status(Phase.RolledBack, V1, null, V1)
                .failed(V2, Reasons.CRASH_LOOP).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).events(Reasons.ROLLOUT_STARTED)),
        new Row("a spec change (new generation) retries it",
            World.spec(V2).with(w -> w.generation = GEN + 1).status(Phase.RolledBack, V1, null, V1)
                .failed(V2, Reasons.CRASH_LOOP).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).events(Reasons.ROLLOUT_STARTED)),
        new Row("a fixed image rolls forward from RolledBack",
            World.spec(V3).with(w -> w.generation = GEN + 1).status(Phase.RolledBack, V1, null, V1)
                .failed(V2, Reasons.CRASH_LOOP).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Progressing).apply(V3).images(V1, V3, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_STARTED)),
        new Row("a failed first install stays Failed, untouched",
            World.spec(V1).status(Phase.Failed, null, null, null).failed(V1, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.InProgress),
            Expect.phase(Phase.Failed).images(null, null, null)),

        // ---- supersede
        new Row("a new image mid-rollout supersedes it; lastKnownGood unchanged",
            World.spec(V3).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V3).images(V1, V3, V1)
                .events(Reasons.ROLLOUT_SUPERSEDED, Reasons.ROLLOUT_STARTED).history(Result.Superseded)
                .startedAt(NOW)),
        new Row("spec set back to the running image mid-rollout: back to steady",
            World.spec(V1).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V1).images(V1, null, V1).events(Reasons.ROLLOUT_SUPERSEDED)
                .history(Result.Superseded)),

        // ---- known-good is a digest: recorded on completion, reverted to, kept
        new Row("completion records the digest every ready pod of both tiers reports",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .imageIds(REPO + "@" + D2, REPO + "@" + D2, REPO + "@" + D2),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).digest(D2)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("first install completes: the digest behind docker-pullable:// is recorded",
            World.spec(V1).status(Phase.Progressing, null, V1, null).tiers(V1, RolloutVerdict.Complete)
                .imageIds("docker-pullable://" + REPO + "@" + D1, REPO + "@" + D1, REPO + "@" + D1),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1).digest(D1)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("completion with pods disagreeing (the tag moved between pulls) records no digest",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .imageIds(REPO + "@" + D2, REPO + "@" + D1, REPO + "@" + D2),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).digest(null)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("completion with a pod reporting a config id (not pullable) records no digest",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .imageIds(REPO + "@" + D2, REPO + "@" + D2, D2),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).digest(null)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("completion with a pod reporting no imageID (KWOK's kwok://, or none) records no digest",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .imageIds("kwok://" + V2, "kwok://" + V2, ""),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).digest(null)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("completion with another repository's digest records none",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .imageIds(REPO + "@" + D2, REPO + "@" + D2, "docker.io/library/clinic@" + D2),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).digest(null)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("completion of a digest-pinned image records its own digest",
            World.spec(REPO + "@" + D2).status(Phase.Progressing, V1, REPO + "@" + D2, V1)
                .tiers(REPO + "@" + D2, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(REPO + "@" + D2).images(REPO + "@" + D2, null, REPO + "@" + D2)
                .digest(D2).events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("revert targets the known-good repository pinned to its digest",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).knownGoodDigest(D1)
                .tiers(V2, RolloutVerdict.InProgress).podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.RollingBack).apply(V1_PINNED).images(V1, V1_PINNED, V1).digest(D1)
                .failed(V2, Reasons.CRASH_LOOP).events(Reasons.ROLLOUT_FAILED).requeue(Duration.ofSeconds(300))),
        new Row("revert without a known digest targets the tag, as before",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).digest(null)
                .failed(V2, Reasons.CRASH_LOOP).events(Reasons.ROLLOUT_FAILED)),
        new Row("the revert to the digest completes: status.image keeps the tag",
            World.spec(V2).status(Phase.RollingBack, V1, V1_PINNED, V1).knownGoodDigest(D1)
                .failed(V2, Reasons.CRASH_LOOP).tiers(V1_PINNED, RolloutVerdict.Complete),
            Expect.phase(Phase.RolledBack).apply(V1_PINNED).images(V1, null, V1).digest(D1)
                .events(Reasons.ROLLED_BACK).history(Result.RolledBack)),
        new Row("spec set to the known-good tag during a revert to its digest: the revert goes on",
            World.spec(V1).with(w -> w.generation = GEN + 1).status(Phase.RollingBack, V1, V1_PINNED, V1)
                .knownGoodDigest(D1).failed(V2, Reasons.CRASH_LOOP).tiers(V1_PINNED, RolloutVerdict.InProgress),
            Expect.phase(Phase.RollingBack).apply(V1_PINNED).images(V1, V1_PINNED, V1)),
        new Row("after a revert to the digest, spec back on that tag keeps the pinned tiers (no restart)",
            World.spec(V1).with(w -> w.generation = GEN + 1).status(Phase.RolledBack, V1, null, V1)
                .knownGoodDigest(D1).failed(V2, Reasons.CRASH_LOOP).tiers(V1_PINNED, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V1_PINNED).images(V1, null, V1).digest(D1)),
        new Row("steady on the tag with a known digest stays on the tag (no restart)",
            World.spec(V1).status(Phase.Available, V1, null, V1).knownGoodDigest(D1)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1).digest(D1)),
        new Row("steady with drift and a known digest: put back the known-good bits",
            World.spec(V1).status(Phase.Available, V1, null, V1).knownGoodDigest(D1)
                .tiers(V3, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V1_PINNED).images(V1, null, V1).digest(D1)),
        new Row("a new rollout keeps the known-good digest in its snapshot",
            World.spec(V3).status(Phase.Available, V2, null, V2).knownGoodDigest(D2)
                .tiers(V2, RolloutVerdict.Complete),
            Expect.phase(Phase.Progressing).apply(V3).images(V2, V3, V2).digest(D2)
                .events(Reasons.ROLLOUT_STARTED)),

        // ---- imageResolution Registry: the registry names the digest before anything rolls
        new Row("registry: the rollout starts on the digest the registry gives, both tiers pinned to it",
            World.spec(V2).status(Phase.Available, V1, null, V1).knownGoodDigest(D1).tiers(V1, RolloutVerdict.Complete)
                .registry(Map.of(V2, new Resolution.Resolved(D2))),
            Expect.phase(Phase.Progressing).apply(V2 + "@" + D2).images(V1, V2 + "@" + D2, V1)
                .events(Reasons.ROLLOUT_STARTED)),
        new Row("registry: a spec.image pinned by digest is not asked for",
            World.spec(REPO + "@" + D2).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .registry(Map.of()),
            Expect.phase(Phase.Progressing).apply(REPO + "@" + D2).images(V1, REPO + "@" + D2, V1)
                .events(Reasons.ROLLOUT_STARTED)),
        new Row("registry down: Pending, nothing applied, asked again in 5s",
            World.spec(V2).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .registry(Map.of(V2, new Resolution.Unresolved(Resolution.REGISTRY_UNAVAILABLE, "cannot connect"))),
            Expect.phase(Phase.Pending).images(V1, null, V1).events(Resolution.REGISTRY_UNAVAILABLE)
                .requeue(Duration.ofSeconds(5))),
        new Row("registry still down at the third attempt: the wait doubles to 20s",
            World.spec(V2).status(Phase.Pending, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .resolutionPending(2, NOW.minusSeconds(1))
                .registry(Map.of(V2, new Resolution.Unresolved(Resolution.REGISTRY_UNAVAILABLE, "cannot connect"))),
            Expect.phase(Phase.Pending).images(V1, null, V1).events(Resolution.REGISTRY_UNAVAILABLE)
                .requeue(Duration.ofSeconds(20))),
        new Row("registry asked again before its backoff is over: not asked, nothing changes",
            World.spec(V2).status(Phase.Pending, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .resolutionPending(1, NOW.plusSeconds(3)).registry(Map.of()),
            Expect.phase(Phase.Pending).images(V1, null, V1).requeue(Duration.ofSeconds(3))),
        new Row("registry answers after failures: the rollout starts",
            World.spec(V2).status(Phase.Pending, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .resolutionPending(3, NOW.minusSeconds(1)).registry(Map.of(V2, new Resolution.Resolved(D2))),
            Expect.phase(Phase.Progressing).apply(V2 + "@" + D2).images(V1, V2 + "@" + D2, V1)
                .events(Reasons.ROLLOUT_STARTED)),
        new Row("registry pending, spec set back to the running image: steady, the wait forgotten",
            World.spec(V1).status(Phase.Pending, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .resolutionPending(1, NOW.plusSeconds(3)).registry(Map.of()),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1)),
        new Row("registry: the rollout to the pinned tag completes; status keeps the tag, known-good the digest",
            World.spec(V2).status(Phase.Progressing, V1, V2 + "@" + D2, V1).tiers(V2 + "@" + D2, RolloutVerdict.Complete)
                .registry(Map.of()),
            Expect.phase(Phase.Available).apply(V2 + "@" + D2).images(V2, null, V2).digest(D2)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("registry: steady on the pinned tag stays pinned (no restart)",
            World.spec(V2).status(Phase.Available, V2, null, V2).knownGoodDigest(D2)
                .tiers(V2 + "@" + D2, RolloutVerdict.Complete).registry(Map.of()),
            Expect.phase(Phase.Available).apply(V2 + "@" + D2).images(V2, null, V2).digest(D2)),
        new Row("registry: steady with drift puts back the tag pinned to the known-good digest",
            World.spec(V2).status(Phase.Available, V2, null, V2).knownGoodDigest(D2)
                .tiers(V3, RolloutVerdict.InProgress).registry(Map.of()),
            Expect.phase(Phase.Progressing).apply(V2 + "@" + D2).images(V2, null, V2).digest(D2)),
        new Row("registry: a failed pinned rollout blocks spec.image by name",
            World.spec(V2).status(Phase.Progressing, V1, V2 + "@" + D2, V1).tiers(V2 + "@" + D2, RolloutVerdict.InProgress)
                .podFailure(V2 + "@" + D2, Reasons.CRASH_LOOP).registry(Map.of(V1, new Resolution.Resolved(D1))),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("registry: the revert says when the known-good tag names other bits now",
            World.spec(V2).status(Phase.Progressing, V1, V2 + "@" + D2, V1).knownGoodDigest(D1)
                .tiers(V2 + "@" + D2, RolloutVerdict.InProgress).podFailure(V2 + "@" + D2, Reasons.CRASH_LOOP)
                .registry(Map.of(V1, new Resolution.Resolved(D3))),
            Expect.phase(Phase.RollingBack).apply(V1_PINNED).images(V1, V1_PINNED, V1).digest(D1)
                .failed(V2, Reasons.CRASH_LOOP).events(Reasons.KNOWN_GOOD_TAG_MOVED, Reasons.ROLLOUT_FAILED)),
        new Row("registry: the revert says nothing more when the tag still names the known-good digest",
            World.spec(V2).status(Phase.Progressing, V1, V2 + "@" + D2, V1).knownGoodDigest(D1)
                .tiers(V2 + "@" + D2, RolloutVerdict.InProgress).podFailure(V2 + "@" + D2, Reasons.CRASH_LOOP)
                .registry(Map.of(V1, new Resolution.Resolved(D1))),
            Expect.phase(Phase.RollingBack).apply(V1_PINNED).images(V1, V1_PINNED, V1).digest(D1)
                .failed(V2, Reasons.CRASH_LOOP).events(Reasons.ROLLOUT_FAILED)),
        new Row("registry: the failed image blocked by name is not asked for again",
            World.spec(V2).status(Phase.RolledBack, V1, null, V1).knownGoodDigest(D1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1_PINNED, RolloutVerdict.Complete).registry(Map.of()),
            Expect.phase(Phase.RolledBack).images(V1, null, V1)),

        // ---- the deadline measures a lack of progress, not the time since the start
        new Row("past timeoutSeconds since the start but still progressing: not failed, the clock moves",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).with(w -> w.now = STARTED.plusSeconds(400))
                .progress(3, STARTED.plusSeconds(200)).tiers(V2, RolloutVerdict.InProgress).marks(3, 2),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).progressAt(STARTED.plusSeconds(400))
                .requeue(Duration.ofSeconds(300))),
        new Row("no progress for timeoutSeconds since the last progress: failed and reverted",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).with(w -> w.now = STARTED.plusSeconds(360))
                .progress(5, STARTED.plusSeconds(50)).tiers(V2, RolloutVerdict.InProgress).marks(3, 2),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.ROLLOUT_TIMEOUT)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("a mark back at its old high after a dip (a pod lost readiness) is not progress",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).with(w -> w.now = STARTED.plusSeconds(310))
                .progress(5, STARTED).tiers(V2, RolloutVerdict.InProgress).marks(4, 1),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.ROLLOUT_TIMEOUT)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("the first mark after the start (the controller observed the template) counts as progress",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).with(w -> w.now = STARTED.plusSeconds(250))
                .progress(null, STARTED).tiers(V2, RolloutVerdict.InProgress).marks(0, 0),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).progressAt(STARTED.plusSeconds(250))),
        new Row("a stale mark (controller not caught up) is no progress: failed at the deadline",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).with(w -> w.now = STARTED.plusSeconds(300))
                .progress(null, STARTED).tiers(V2, RolloutVerdict.InProgress),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.ROLLOUT_TIMEOUT)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("maxDurationSeconds fails a rollout that keeps progressing",
            World.spec(V2).with(w -> w.spec.rollout.maxDurationSeconds = 200).status(Phase.Progressing, V1, V2, V1)
                .with(w -> w.now = STARTED.plusSeconds(200)).progress(3, STARTED.plusSeconds(150))
                .tiers(V2, RolloutVerdict.InProgress).marks(3, 2),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.MAX_DURATION_EXCEEDED)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("maxDurationSeconds comes first: the requeue is at the hard bound",
            World.spec(V2).with(w -> w.spec.rollout.maxDurationSeconds = 150).status(Phase.Progressing, V1, V2, V1)
                .progress(5, STARTED.plusSeconds(90)).tiers(V2, RolloutVerdict.InProgress).marks(3, 2),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).requeue(Duration.ofSeconds(50))),
        new Row("a revert that keeps progressing is not failed either",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .with(w -> w.now = STARTED.plusSeconds(400)).progress(2, STARTED.plusSeconds(300))
                .tiers(V1, RolloutVerdict.InProgress).marks(2, 1),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).progressAt(STARTED.plusSeconds(400))),

        // ---- late success: judged failed with nothing reverted, complete afterwards
        new Row("a first install failed at its deadline whose pods came up later: Available",
            World.spec(V1).status(Phase.Failed, null, null, null).failed(V1, Reasons.ROLLOUT_TIMEOUT)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1)
                .events(Reasons.ROLLOUT_SUCCEEDED_LATE).history(Result.Succeeded)),
        new Row("onFailure Hold, the held image completes later: Available on it",
            World.spec(V2).with(w -> w.spec.rollout.onFailure = OnFailure.Hold).status(Phase.Failed, V1, null, V1)
                .failed(V2, Reasons.ROLLOUT_TIMEOUT).tiers(V2, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2)
                .events(Reasons.ROLLOUT_SUCCEEDED_LATE).history(Result.Succeeded)),
        new Row("a failed first install still incomplete stays Failed and untouched",
            World.spec(V1).status(Phase.Failed, null, null, null).failed(V1, Reasons.ROLLOUT_TIMEOUT)
                .tiers(V1, RolloutVerdict.InProgress),
            Expect.phase(Phase.Failed).images(null, null, null)),
        new Row("a failed first install pinned by the registry completes later: Available",
            World.spec(V1).status(Phase.Failed, null, null, null).failed(V1, Reasons.ROLLOUT_TIMEOUT)
                .tiers(V1 + "@" + D1, RolloutVerdict.Complete).registry(Map.of()),
            Expect.phase(Phase.Available).apply(V1 + "@" + D1).images(V1, null, V1).digest(D1)
                .events(Reasons.ROLLOUT_SUCCEEDED_LATE).history(Result.Succeeded)),

        // ---- imageResolution None: never pinned by Rollgate
        new Row("none: completion records no digest from the pods",
            World.spec(V2).with(w -> w.spec.rollout.imageResolution = ImageResolution.None)
                .status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .imageIds(REPO + "@" + D2, REPO + "@" + D2, REPO + "@" + D2),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).digest(null)
                .events(Reasons.ROLLOUT_SUCCEEDED).history(Result.Succeeded)),
        new Row("none: a revert goes back to the tag even with a digest recorded earlier",
            World.spec(V2).with(w -> w.spec.rollout.imageResolution = ImageResolution.None)
                .status(Phase.Progressing, V1, V2, V1).knownGoodDigest(D1)
                .tiers(V2, RolloutVerdict.InProgress).podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1)
                .failed(V2, Reasons.CRASH_LOOP).events(Reasons.ROLLOUT_FAILED)),

        // ---- migration gate (spec.migration)
        new Row("migration: a new image starts its Job and touches neither tier",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Available, V1, null, V1)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Migrating).images(V1, V2, V1).events(Reasons.MIGRATION_STARTED).startedAt(NOW)
                .job(V2).requeue(Duration.ofSeconds(630))),
        new Row("migration: first install runs it before anything exists",
            World.spec(V1).migration(Compatibility.Expand).dependency(true),
            Expect.phase(Phase.Migrating).images(null, V1, null).events(Reasons.MIGRATION_STARTED).job(V1)),
        new Row("migration: waits for a dependency before the Job is created",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Available, V1, null, V1)
                .tiers(V1, RolloutVerdict.Complete).dependency(false),
            Expect.phase(Phase.WaitingForDependencies).images(V1, null, V1).events(Reasons.WAITING_FOR_DEPENDENCIES)),
        new Row("migration: asked for, not seen yet: ask again (created only if absent)",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Pending).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Migrating).images(V1, V2, V1).job(V2).requeue(Duration.ofSeconds(530))),
        new Row("migration: running, the tiers wait and nothing is asked again",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Pending).tiers(V1, RolloutVerdict.Complete)
                .job(JobObservation.State.Running, false),
            Expect.phase(Phase.Migrating).images(V1, V2, V1).migration(MigrationStatus.Result.Running)),
        new Row("migration: completes, then both tiers roll with a fresh progress deadline",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Running).tiers(V1, RolloutVerdict.Complete)
                .job(JobObservation.State.Succeeded, false),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).events(Reasons.MIGRATION_SUCCEEDED)
                .migration(MigrationStatus.Result.Succeeded).progressAt(NOW).requeue(Duration.ofSeconds(300))),
        new Row("migration: the Job fails, the rollout fails, nothing was rolled so nothing is reverted",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Running).tiers(V1, RolloutVerdict.Complete)
                .job(JobObservation.State.Failed, false),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.MIGRATION_FAILED)
                .events(Reasons.MIGRATION_FAILED).history(Result.Failed).migration(MigrationStatus.Result.Failed)),
        new Row("migration: the Job passes its deadline: MigrationTimeout",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Running).tiers(V1, RolloutVerdict.Complete)
                .job(JobObservation.State.Failed, true),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.MIGRATION_TIMEOUT)
                .events(Reasons.MIGRATION_TIMEOUT).history(Result.Failed)),
        new Row("migration: a Job that never ran fails at its deadline plus grace",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Pending).tiers(V1, RolloutVerdict.Complete)
                .with(w -> w.now = STARTED.plusSeconds(631)),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.MIGRATION_TIMEOUT)
                .events(Reasons.MIGRATION_TIMEOUT).history(Result.Failed)),
        new Row("migration: a Job seen running and then gone is not run twice",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Running).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.MIGRATION_JOB_LOST)
                .events(Reasons.MIGRATION_JOB_LOST).history(Result.Failed)),
        new Row("migration: its pod cannot pull the image: fail fast",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Running).tiers(V1, RolloutVerdict.Complete)
                .job(JobObservation.State.Running, false).podFailure(V2, Reasons.IMAGE_PULL_BACK_OFF),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.IMAGE_PULL_BACK_OFF)
                .events(Reasons.IMAGE_PULL_BACK_OFF).history(Result.Failed)),
        new Row("migration: a failed migration's image is not retried by itself",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Failed, V1, null, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Failed).failed(V2, Reasons.MIGRATION_FAILED)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Failed).images(V1, null, V1)),
        new Row("migration: superseded while running: the Job is left to finish, the new image starts its own",
            World.spec(V3).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Running).tiers(V1, RolloutVerdict.Complete)
                .job(JobObservation.State.Running, false),
            Expect.phase(Phase.Migrating).images(V1, V3, V1).events(Reasons.ROLLOUT_SUPERSEDED,
                Reasons.MIGRATION_STARTED).history(Result.Superseded).job(V3)),
        new Row("migration: paused while running keeps Migrating and asks for nothing",
            World.spec(V2).migration(Compatibility.Expand).with(w -> w.spec.rollout.paused = true)
                .status(Phase.Migrating, V1, V2, V1).migrationRecorded(V2, MigrationStatus.Result.Running)
                .tiers(V1, RolloutVerdict.Complete).job(JobObservation.State.Running, false),
            Expect.phase(Phase.Migrating).images(V1, V2, V1).events(Reasons.PAUSED)),
        new Row("migration Expand: the rollout after it fails and the image is reverted as usual",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Progressing, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Succeeded).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("migration Breaking: the rollout after it fails and both tiers are held, a restore is described",
            World.spec(V2).migration(Compatibility.Breaking).status(Phase.Progressing, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Succeeded).tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED).history(Result.Failed)
                .condition(Reasons.RESTORE_AVAILABLE, "False", Reasons.NO_BACKUP)
                .condition(Reasons.PROGRESSING, "False", Reasons.HELD_AFTER_BREAKING_MIGRATION)),
        new Row("migration Breaking with afterFailure RevertImage: reverted anyway",
            World.spec(V2).migration(Compatibility.Breaking)
                .with(w -> w.spec.migration.afterFailure = AfterBreakingFailure.RevertImage)
                .status(Phase.Progressing, V1, V2, V1).migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                .tiers(V2, RolloutVerdict.InProgress).podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("migration Breaking: held tiers that come up after all are a late success",
            World.spec(V2).migration(Compatibility.Breaking).status(Phase.Failed, V1, null, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Succeeded).failed(V2, Reasons.ROLLOUT_TIMEOUT)
                .tiers(V2, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V2).images(V2, null, V2).events(Reasons.ROLLOUT_SUCCEEDED_LATE)
                .history(Result.Succeeded)),

        // ---- backup before a Breaking migration (spec.backup), restore on request
        new Row("backup: a Breaking migration with spec.backup starts with the backup Job",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Available, V1, null, V1)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.BackingUp).images(V1, V2, V1).events(Reasons.BACKUP_STARTED).job(PG)
                .jobKind(JobRun.Kind.BACKUP)),
        new Row("backup: an Expand migration takes none",
            World.spec(V2).migration(Compatibility.Expand).backup().status(Phase.Available, V1, null, V1)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Migrating).images(V1, V2, V1).events(Reasons.MIGRATION_STARTED).job(V2)),
        new Row("backup: a first install has nothing to back up",
            World.spec(V1).migration(Compatibility.Breaking).backup().dependency(true),
            Expect.phase(Phase.Migrating).images(null, V1, null).events(Reasons.MIGRATION_STARTED).job(V1)),
        new Row("backup: running, nothing else happens",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.BackingUp, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Pending).backupRecorded(MigrationStatus.Result.Running)
                .tiers(V1, RolloutVerdict.Complete).job(BACKUP_JOB, JobObservation.State.Running, false),
            Expect.phase(Phase.BackingUp).images(V1, V2, V1)),
        new Row("backup: complete, it becomes the known-good image's backup, and the migration starts",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.BackingUp, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Pending).backupRecorded(MigrationStatus.Result.Running)
                .tiers(V1, RolloutVerdict.Complete).job(BACKUP_JOB, JobObservation.State.Succeeded, false),
            Expect.phase(Phase.Migrating).images(V1, V2, V1).events(Reasons.BACKUP_SUCCEEDED).job(V2)
                .jobKind(JobRun.Kind.MIGRATION).knownGoodBackup(BACKUP_JOB)),
        new Row("backup: failed, the rollout fails with nothing changed and no migration run",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.BackingUp, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Pending).backupRecorded(MigrationStatus.Result.Running)
                .tiers(V1, RolloutVerdict.Complete).job(BACKUP_JOB, JobObservation.State.Failed, false),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.BACKUP_FAILED)
                .events(Reasons.BACKUP_FAILED).history(Result.Failed).migration(MigrationStatus.Result.Abandoned)),
        new Row("backup: the rollout after the Breaking migration fails: held, and the backup can be restored",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Progressing, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Succeeded).backupRecorded(MigrationStatus.Result.Succeeded)
                .knownGoodBackup().tiers(V2, RolloutVerdict.InProgress).podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED).history(Result.Failed)
                .condition(Reasons.RESTORE_AVAILABLE, "True", Reasons.BACKUP_TAKEN)),
        new Row("restore asked: both tiers go to 0 first, nothing is restored while a pod runs",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Failed, V1, null, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Succeeded).failed(V2, Reasons.CRASH_LOOP)
                .knownGoodBackup().restoreAvailable().tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.restoreRequest = BACKUP_JOB),
            Expect.phase(Phase.Restoring).apply(V2).stop().images(V1, null, V1).events(Reasons.RESTORE_STARTED)),
        new Row("restore: no tier pod is left, the restore Job runs",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Restoring, V1, null, V1)
                .failed(V2, Reasons.CRASH_LOOP).knownGoodBackup()
                .restoring(RestoreStatus.Step.ScaleDown, MigrationStatus.Result.Pending).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.tierPods = 0),
            Expect.phase(Phase.Restoring).apply(V2).stop().images(V1, null, V1).job(PG).jobKind(JobRun.Kind.RESTORE)),
        new Row("restore: the Job completes, history records it, both tiers revert to the known-good image",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Restoring, V1, null, V1)
                .failed(V2, Reasons.CRASH_LOOP).knownGoodBackup()
                .restoring(RestoreStatus.Step.Restore, MigrationStatus.Result.Running).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.tierPods = 0).job(RESTORE_JOB, JobObservation.State.Succeeded, false),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).events(Reasons.DATABASE_RESTORED)
                .history(Result.Restored)),
        new Row("restore: the Job fails, the tiers stay at 0 and status says so",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Restoring, V1, null, V1)
                .failed(V2, Reasons.CRASH_LOOP).knownGoodBackup()
                .restoring(RestoreStatus.Step.Restore, MigrationStatus.Result.Running).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.tierPods = 0).job(RESTORE_JOB, JobObservation.State.Failed, false),
            Expect.phase(Phase.Failed).apply(V2).stop().images(V1, null, V1).events(Reasons.RESTORE_FAILED)
                .condition(Reasons.DEGRADED, "True", Reasons.RESTORE_FAILED)
                .condition(Reasons.RESTORE_AVAILABLE, "False", Reasons.RESTORE_FAILED)),
        new Row("restore failed: tiers stopped at 0 on the held image are no late success",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Failed, V1, null, V1)
                .failed(V2, Reasons.CRASH_LOOP).knownGoodBackup()
                .restoring(RestoreStatus.Step.Restore, MigrationStatus.Result.Failed)
                .with(w -> {
                  w.api = new TierObservation(V2, RolloutVerdict.Complete, new TierStatus(0, 0, 0, 0), null);
                  w.worker = new TierObservation(V2, RolloutVerdict.Complete, new TierStatus(0, 0, 0, 0), null);
                  w.tierPods = 0;
                }),
            Expect.phase(Phase.Failed).images(V1, null, V1)),
        new Row("restore asked for a backup that is not the known-good one: rejected once, nothing changes",
            World.spec(V2).migration(Compatibility.Breaking).backup().status(Phase.Failed, V1, null, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Succeeded).failed(V2, Reasons.CRASH_LOOP)
                .knownGoodBackup().restoreAvailable().tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.restoreRequest = "clinic-backup-ffffffffff"),
            Expect.phase(Phase.Failed).images(V1, null, V1).events(Reasons.RESTORE_REJECTED)),
        new Row("restore asked with nothing held: rejected once",
            World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .with(w -> w.restoreRequest = BACKUP_JOB),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1).events(Reasons.RESTORE_REJECTED)),

        // ---- paused
        new Row("paused mid-rollout: touch nothing, remember the target",
            World.spec(V2).with(w -> w.spec.rollout.paused = true).status(Phase.Progressing, V1, V2, V1)
                .tiers(V2, RolloutVerdict.InProgress).podFailure(V2, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Paused).images(V1, V2, V1).events(Reasons.PAUSED)),
        new Row("paused before a rollout: the new image waits",
            World.spec(V2).with(w -> w.spec.rollout.paused = true).status(Phase.Available, V1, null, V1)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Paused).images(V1, null, V1).events(Reasons.PAUSED)),
        new Row("unpaused: the rollout resumes with a fresh deadline",
            World.spec(V2).status(Phase.Paused, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1).events(Reasons.RESUMED).startedAt(NOW)),
        new Row("paused during a revert keeps the revert's phase",
            World.spec(V2).with(w -> w.spec.rollout.paused = true).status(Phase.RollingBack, V1, V1, V1)
                .failed(V2, Reasons.CRASH_LOOP).tiers(V1, RolloutVerdict.InProgress),
            Expect.phase(Phase.RollingBack).images(V1, V1, V1).events(Reasons.PAUSED)),

        // ---- abort (rollgate.dev/abort: a new token stops the rollout in flight)
        new Row("abort mid-rollout: failed as Aborted, both tiers back to the known-good image",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.abortRequest = "t1"),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.ABORTED)
                .events(Reasons.ROLLOUT_FAILED).condition(Reasons.RECONCILING, "True", Reasons.REVERT_IN_PROGRESS)),
        new Row("abort mid-rollout with onFailure Hold still reverts: the user asked for the known-good image",
            World.spec(V2).with(w -> w.spec.rollout.onFailure = OnFailure.Hold).status(Phase.Progressing, V1, V2, V1)
                .tiers(V2, RolloutVerdict.InProgress).with(w -> w.abortRequest = "t1"),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.ABORTED)
                .events(Reasons.ROLLOUT_FAILED)),
        new Row("abort during the migration: the Job is left, the rollout fails with nothing rolled",
            World.spec(V2).migration(Compatibility.Expand).status(Phase.Migrating, V1, V2, V1)
                .migrationRecorded(V2, MigrationStatus.Result.Running).job(JobObservation.State.Running, false)
                .tiers(V1, RolloutVerdict.Complete).with(w -> w.abortRequest = "t1"),
            Expect.phase(Phase.Failed).images(V1, null, V1).failed(V2, Reasons.ABORTED).events(Reasons.ABORTED)
                .history(Result.Failed).migration(MigrationStatus.Result.Abandoned)
                .condition(Reasons.STALLED, "True", Reasons.ABORTED)),
        new Row("abort with no rollout in flight: recorded, an Event, nothing else",
            World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .with(w -> w.abortRequest = "t1"),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1).events(Reasons.NOTHING_TO_ABORT)),
        new Row("an abort token already handled does not stop the next rollout",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.abortRequest = "t1").with(w -> w.status.abortHandled = "t1"),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
        new Row("abort while paused waits for the resume",
            World.spec(V2).with(w -> w.spec.rollout.paused = true).status(Phase.Paused, V1, V2, V1)
                .tiers(V2, RolloutVerdict.InProgress).with(w -> w.abortRequest = "t1"),
            Expect.phase(Phase.Paused).images(V1, V2, V1).events(Reasons.PAUSED)
                .condition(Reasons.RECONCILING, "False", Reasons.PAUSED)),

        // ---- kstatus: Ready / Reconciling / Stalled
        new Row("kstatus: steady and complete is Ready, neither Reconciling nor Stalled",
            World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1)
                .condition(Reasons.READY, "True", Reasons.ROLLED_OUT)
                .condition(Reasons.RECONCILING, "False", Reasons.ROLLED_OUT)
                .condition(Reasons.STALLED, "False", Reasons.ROLLED_OUT)),
        new Row("kstatus: a rollout in flight is Reconciling, not Ready (Available stays the Deployments' meaning)",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
            Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)
                .condition(Reasons.READY, "False", Reasons.ROLLOUT_IN_PROGRESS)
                .condition(Reasons.RECONCILING, "True", Reasons.ROLLOUT_IN_PROGRESS)
                .condition(Reasons.STALLED, "False", Reasons.ROLLOUT_IN_PROGRESS)),
        new Row("kstatus: rolled back is Stalled with the reason, not Ready although the pods are",
            World.spec(V2).status(Phase.RollingBack, V1, V1, V1).failed(V2, Reasons.CRASH_LOOP)
                .tiers(V1, RolloutVerdict.Complete),
            Expect.phase(Phase.RolledBack).apply(V1).images(V1, null, V1).events(Reasons.ROLLED_BACK)
                .history(Result.RolledBack)
                .condition(Reasons.STALLED, "True", Reasons.ROLLED_BACK)
                .condition(Reasons.READY, "False", Reasons.ROLLED_BACK)
                .condition(Reasons.RECONCILING, "False", Reasons.ROLLED_BACK)),
        new Row("kstatus: a failed first install is Stalled",
            World.spec(V1).status(Phase.Progressing, null, V1, null).tiers(V1, RolloutVerdict.InProgress)
                .podFailure(V1, Reasons.CRASH_LOOP),
            Expect.phase(Phase.Failed).images(null, null, null).failed(V1, Reasons.CRASH_LOOP)
                .events(Reasons.ROLLOUT_FAILED).history(Result.Failed)
                .condition(Reasons.STALLED, "True", Reasons.ROLLOUT_FAILED)
                .condition(Reasons.READY, "False", Reasons.ROLLOUT_FAILED)),
        new Row("kstatus: waiting for a dependency is Reconciling",
            World.spec(V1).dependency(false),
            Expect.phase(Phase.WaitingForDependencies).images(null, null, null)
                .events(Reasons.WAITING_FOR_DEPENDENCIES)
                .condition(Reasons.RECONCILING, "True", Reasons.WAITING_FOR_DEPENDENCIES)),

        // ---- autoscaling and pods that cannot be created
        new Row("autoscaled: availability is judged on the replicas the HPA set, not spec.api.replicas",
            World.spec(V1).with(w -> {
              w.spec.api.autoscaling = new dev.rollgate.operator.api.Autoscaling();
              w.spec.api.autoscaling.minReplicas = 1;
              w.spec.api.autoscaling.maxReplicas = 4;
            }).status(Phase.Available, V1, null, V1).with(w -> {
              w.api = tier(V1, RolloutVerdict.Complete, 1);
              w.worker = tier(V1, RolloutVerdict.Complete, 1);
            }),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1)
                .condition(Reasons.AVAILABLE, "True", Reasons.ALL_REPLICAS_AVAILABLE)
                .condition(Reasons.READY, "True", Reasons.ROLLED_OUT)),
        new Row("pods of the new image cannot be created (Pod Security Admission): fail fast, revert",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
                .with(w -> w.pods.add(new PodFailure("of Deployment clinic-api", V2, Reasons.FAILED_CREATE,
                    "pods \"clinic-api-x\" is forbidden: violates PodSecurity \"restricted:latest\": privileged"))),
            Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1).failed(V2, Reasons.FAILED_CREATE)
                .events(Reasons.ROLLOUT_FAILED)),

        // ---- refused writes: Synced False, Stalled, never Available
        new Row("a refused write: Synced False with the server's words, Stalled, not Available, retried with backoff",
            World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .with(w -> w.applied = ApplyOutcome.refused(QUOTA)),
            Expect.phase(Phase.Progressing).apply(V1).images(V1, null, V1).events(Reasons.APPLY_FAILED)
                .requeue(Duration.ofSeconds(5))
                .condition(Reasons.SYNCED, "False", Reasons.APPLY_FAILED)
                .condition(Reasons.STALLED, "True", Reasons.APPLY_FAILED)
                .condition(Reasons.READY, "False", Reasons.APPLY_FAILED)
                .condition(Reasons.RECONCILING, "False", Reasons.APPLY_FAILED)),
        new Row("the same refusal again: no second Event, the backoff has doubled",
            World.spec(V1).status(Phase.Progressing, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .synced(false, QUOTA, NOW.minusSeconds(40)).with(w -> w.applied = ApplyOutcome.refused(QUOTA)),
            Expect.phase(Phase.Progressing).apply(V1).images(V1, null, V1).requeue(Duration.ofSeconds(40))
                .condition(Reasons.SYNCED, "False", Reasons.APPLY_FAILED)),
        new Row("a refusal remembered in status holds until a write is accepted",
            World.spec(V1).status(Phase.Progressing, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .synced(false, QUOTA, NOW.minusSeconds(1000)),
            Expect.phase(Phase.Progressing).apply(V1).images(V1, null, V1).requeue(Duration.ofMinutes(5))
                .condition(Reasons.STALLED, "True", Reasons.APPLY_FAILED)),
        new Row("a rollout completes while a write is refused: Succeeded, but not Available until it is accepted",
            World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete)
                .synced(false, QUOTA, NOW.minusSeconds(40)),
            Expect.phase(Phase.Progressing).apply(V2).images(V2, null, V2).events(Reasons.ROLLOUT_SUCCEEDED)
                .history(Result.Succeeded).condition(Reasons.STALLED, "True", Reasons.APPLY_FAILED)),
        new Row("the write accepted again: Synced True, an Event, Available and Ready",
            World.spec(V1).status(Phase.Progressing, V1, null, V1).tiers(V1, RolloutVerdict.Complete)
                .synced(false, QUOTA, NOW.minusSeconds(40)).with(w -> w.applied = ApplyOutcome.SUCCEEDED),
            Expect.phase(Phase.Available).apply(V1).images(V1, null, V1).events(Reasons.APPLIED)
                .condition(Reasons.SYNCED, "True", Reasons.APPLIED)
                .condition(Reasons.READY, "True", Reasons.ROLLED_OUT)
                .condition(Reasons.STALLED, "False", Reasons.ROLLED_OUT)));
  }

  static final String QUOTA = "The API server refused Service clinic-api (HTTP 403 Forbidden): services \"clinic-api\" "
      + "is forbidden: exceeded quota: no-services, requested: count/services=1, used: count/services=0, "
      + "limited: count/services=0";

  final RolloutDecider decider = new RolloutDecider();

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    RolloutInput in = row.world().input();
    Decision d = decider.decide(in);
    Expect e = row.expect();
    ApiDeploymentStatus s = d.status();

    assertThat(s.phase).as("phase").isEqualTo(e.phase);
    assertThat(d.applyImage()).as("image applied to both tiers").isEqualTo(e.apply);
    assertThat(s.image).as("status.image").isEqualTo(e.image);
    assertThat(s.targetImage).as("status.targetImage").isEqualTo(e.target);
    assertThat(s.lastKnownGood == null ? null : s.lastKnownGood.image).as("lastKnownGood").isEqualTo(e.lkg);
    if (e.failed != null) {
      assertThat(s.failedImage).as("failedImage").isNotNull();
      assertThat(s.failedImage.image).isEqualTo(e.failed);
      assertThat(s.failedImage.reason).isEqualTo(e.failedReason);
    }
    assertThat(d.events().stream().map(RolloutEvent::reason).toList()).as("events").isEqualTo(e.events);
    if (e.history != null) {
      assertThat(s.history).as("history").isNotEmpty();
      assertThat(s.history.get(s.history.size() - 1).result).isEqualTo(e.history);
    } else {
      int before = in.status() == null ? 0 : in.status().history.size();
      assertThat(s.history).as("history unchanged").hasSize(before);
    }
    if (e.checkDigest) {
      assertThat(s.lastKnownGood.digest).as("lastKnownGood.digest").isEqualTo(e.digest);
      if (e.history == Result.Succeeded) {
        assertThat(s.history.get(s.history.size() - 1).digest).as("history digest").isEqualTo(e.digest);
      }
    }
    if (e.requeue != null) {
      assertThat(d.requeueAfter()).as("requeue").contains(e.requeue);
    }
    if (e.rolloutStartedAt != null) {
      assertThat(s.rolloutStartedAt).as("rolloutStartedAt").isEqualTo(e.rolloutStartedAt);
    }
    if (e.progressAt != null) {
      assertThat(s.progress).as("status.progress").isNotNull();
      assertThat(s.progress.at).as("status.progress.at").isEqualTo(e.progressAt);
    }
    assertThat(d.runJob().map(JobRun::image)).as("Job asked for").isEqualTo(Optional.ofNullable(e.jobImage));
    if (e.jobKind != null) {
      assertThat(d.runJob().map(JobRun::kind)).as("kind of Job asked for").contains(e.jobKind);
    }
    assertThat(d.stopTiers()).as("tiers stopped").isEqualTo(e.stop);
    if (e.knownGoodBackup != null) {
      assertThat(s.lastKnownGood.backup.id).as("lastKnownGood.backup").isEqualTo(e.knownGoodBackup);
    }
    if (e.migrationResult != null) {
      assertThat(s.migration.result).as("status.migration.result").isEqualTo(e.migrationResult);
    }
    for (List<String> c : e.conditions) {
      var found = Conditions.find(s.conditions, c.get(0));
      assertThat(found).as("condition " + c.get(0)).isNotNull();
      assertThat(List.of(found.getStatus(), found.getReason())).as("condition " + c.get(0))
          .isEqualTo(c.subList(1, 3));
    }
    assertThat(s.observedGeneration).isEqualTo(in.generation());
    // the decider never mutates its input
    if (in.status() != null) {
      assertThat(in.status()).isNotSameAs(s);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void reachesAFixpointWithoutChurnOrRepeatedEvents(Row row) {
    // Level-based: after a transition, looking again at the same world settles within one more
    // step (the transition's wording gives way to the steady wording), then writes nothing new
    // and emits no further event.
    RolloutInput first = row.world().input();
    Decision d1 = decider.decide(first);
    Decision d2 = decider.decide(again(first, d1));
    Decision d3 = decider.decide(again(first, d2));
    assertThat(json(d3.status())).isEqualTo(json(d2.status()));
    assertThat(d3.events()).isEmpty();
    assertThat(d3.applyImage()).isEqualTo(d2.applyImage());
  }

  private static RolloutInput again(RolloutInput first, Decision previous) {
    return new RolloutInput(first.name(), first.spec(), first.generation(), first.retryToken(),
        first.restoreRequest(), first.abortRequest(), previous.status(),
        first.observed(), first.now(), first.registry(), first.applied());
  }

  @Test
  void failureRecordsGenerationAndRetryTokenSoThatOnlyAChangeRetries() {
    World w = World.spec(V2).with(x -> x.retryToken = "a").status(Phase.Progressing, V1, V2, V1)
        .tiers(V2, RolloutVerdict.InProgress).podFailure(V2, Reasons.CRASH_LOOP);
    Decision d = decider.decide(w.input());
    assertThat(d.status().failedImage.generation).isEqualTo(GEN);
    assertThat(d.status().failedImage.retryToken).isEqualTo("a");
  }

  @Test
  void historyKeepsTheLastTen() {
    World w = World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete);
    for (int i = 0; i < 12; i++) {
      w.status.history.add(new HistoryEntry("img:" + i, Result.Succeeded, null, null, null));
    }
    Decision d = decider.decide(w.input());
    assertThat(d.status().history).hasSize(RolloutDecider.HISTORY_LIMIT);
    assertThat(d.status().history.get(9).image).isEqualTo(V2);
  }

  @Test
  void conditionsFollowTheApiConventions() {
    World w = World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress)
        .podFailure(V2, Reasons.CRASH_LOOP).dependency(true);
    ApiDeploymentStatus s = decider.decide(w.input()).status();
    var degraded = Conditions.find(s.conditions, Reasons.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo(Reasons.CRASH_LOOP);
    assertThat(degraded.getObservedGeneration()).isEqualTo(GEN);
    assertThat(degraded.getLastTransitionTime()).isEqualTo(Times.format(NOW));
    assertThat(Conditions.find(s.conditions, Reasons.PROGRESSING).getReason()).isEqualTo(Reasons.REVERT_IN_PROGRESS);
    assertThat(Conditions.isTrue(s.conditions, Reasons.DEPENDENCIES_READY)).isTrue();

    // a later look with a new message but the same status keeps lastTransitionTime
    World later = World.spec(V2).with(x -> x.now = NOW.plusSeconds(30));
    later.status = s;
    later.tiers(V1, RolloutVerdict.InProgress).dependency(true);
    ApiDeploymentStatus s2 = decider.decide(later.input()).status();
    assertThat(Conditions.find(s2.conditions, Reasons.DEGRADED).getLastTransitionTime())
        .isEqualTo(Times.format(NOW));
  }

  private static String json(Object o) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
