package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollgate.operator.api.AfterBreakingFailure;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.BackupStatus;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.ImageResolutionStatus;
import dev.rollgate.operator.api.KnownGoodBackup;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.OnFailure;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RestoreStatus;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.image.ImageReference;
import dev.rollgate.operator.image.Resolution;
import dev.rollgate.operator.rollout.Milestone.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The rollout state machine: a pure function of (spec, status, observations, now). It makes no
 * client calls, keeps nothing between calls, and every path through it has a row in
 * {@code RolloutDeciderTest}.
 *
 * <p>The states, keyed on what status remembers:
 * <ul>
 *   <li><b>steady</b> – no {@code targetImage}, {@code spec.image == status.image}: keep both tiers on it;
 *   <li><b>start</b> – no {@code targetImage}, a new {@code spec.image}: snapshot {@code lastKnownGood},
 *       set {@code targetImage} and {@code rolloutStartedAt}, then patch both tiers. With imageResolution
 *       Registry the target is {@code spec.image} pinned to the digest the registry gives first
 *       ({@code <image>@<digest>}); until it gives one the rollout is Pending, retried with backoff;
 *   <li><b>back up</b> – phase BackingUp (a Breaking spec.migration with spec.backup, not a first
 *       install): the backup Job runs; then the migration;
 *   <li><b>migrate</b> – phase Migrating (spec.migration): the rollout's migration Job runs the target;
 *       no tier changes until it completes; a failed or timed-out Job fails the rollout with nothing to revert;
 *   <li><b>gate</b> – phase Progressing: both tiers complete on the target, or a failure signal, or the deadline;
 *   <li><b>revert</b> – phase RollingBack: both tiers back on {@code lastKnownGood} (pinned to its digest
 *       when known), or the revert fails;
 *   <li><b>blocked</b> – {@code spec.image} is the remembered failed image: touch nothing (a held
 *       rollout after a Breaking migration offers a restore: RestoreAvailable);
 *   <li><b>restore</b> – phase Restoring, asked for by the rollgate.dev/restore annotation naming the held
 *       rollout's backup: both tiers to 0, the restore Job, then a revert to the known-good image.
 * </ul>
 */
public final class RolloutDecider {

  /** How many finished rollouts status.history keeps. */
  public static final int HISTORY_LIMIT = 10;

  /** The first wait before asking a registry again; it doubles up to {@link #RESOLUTION_BACKOFF_MAX}. */
  static final Duration RESOLUTION_BACKOFF_MIN = Duration.ofSeconds(5);
  static final Duration RESOLUTION_BACKOFF_MAX = Duration.ofMinutes(5);

  /** How long after the migration Job's own deadline the decider gives up on a Job that never ran. */
  static final Duration MIGRATION_GRACE = Duration.ofSeconds(30);

  private static final ObjectMapper COPIER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  public Decision decide(RolloutInput in) {
    return new Step(in).run();
  }

  /** One decision in the making; a fresh instance per call, so nothing outlives it. */
  private static final class Step {
    private final RolloutInput in;
    private final ApiDeploymentSpec spec;
    private final Observations seen;
    private final Instant now;
    private final ApiDeploymentStatus s;
    private final List<RolloutEvent> events = new ArrayList<>();
    private final List<Milestone> milestones = new ArrayList<>();
    private JobRun job;
    private boolean stopTiers;
    private final Phase previousPhase;
    private final String previousProgressingReason;

    Step(RolloutInput in) {
      this.in = in;
      this.spec = in.spec();
      this.seen = in.observed();
      this.now = in.now();
      this.s = in.status() == null ? new ApiDeploymentStatus() : COPIER.convertValue(in.status(),
          ApiDeploymentStatus.class);
      if (s.conditions == null) {
        s.conditions = new ArrayList<>();
      }
      if (s.history == null) {
        s.history = new ArrayList<>();
      }
      this.previousPhase = s.phase;
      var progressing = Conditions.find(s.conditions, PROGRESSING);
      this.previousProgressingReason = progressing == null ? null : progressing.getReason();
    }

    Decision run() {
      s.observedGeneration = in.generation();
      recordCounts();
      recordDependencies();
      String notRestorable = s.phase != Phase.Restoring && restoreAsked() ? restorable() : null;
      if (notRestorable != null) {
        rejectRestore(notRestorable);
      }
      recordSync();
      Decision d;
      if (Boolean.TRUE.equals(spec.rollout.paused)) {
        d = paused();
      } else if (abortAsked()) {
        d = abort();
      } else {
        d = next();
      }
      if (s.phase == Phase.Available && writeRefused()) {
        // both tiers may be complete, but an owned object (the Service, say) is missing or stale
        s.phase = Phase.Progressing;
      }
      recordAvailability();
      recordReadiness();
      return retryingRefusedWrites(d);
    }

    /** The state this status is in, when no pause or abort comes first. */
    private Decision next() {
      Decision d;
      if (s.phase == Phase.Restoring) {
        d = restoring();
      } else if (restoreAsked()) {
        d = startRestore();
      } else if (s.targetImage != null && s.phase == Phase.RollingBack) {
        d = reverting();
      } else if (s.targetImage != null && s.phase == Phase.BackingUp) {
        d = backingUp();
      } else if (s.targetImage != null && s.phase == Phase.Migrating) {
        d = migrating();
      } else if (s.targetImage != null) {
        d = rollingOut();
      } else if (spec.image.equals(s.image)) {
        d = steady();
      } else if (isBlocked(spec.image)) {
        d = blocked();
      } else {
        d = start();
      }
      return d;
    }

    // ---- states -------------------------------------------------------------------------

    private Decision paused() {
      // A revert or a migration in flight keeps its phase, so that resuming finishes it rather
      // than mistaking its target for a new rollout. (A running migration Job is not stopped:
      // a migration is not something to interrupt half-way. Its result is read on resume.)
      if (s.phase != Phase.RollingBack && s.phase != Phase.Migrating && s.phase != Phase.BackingUp
          && s.phase != Phase.Restoring) {
        s.phase = Phase.Paused;
      }
      condition(PROGRESSING, "Unknown", PAUSED, "spec.rollout.paused is true: Rollgate changes nothing until it is "
          + "set back to false");
      if (!PAUSED.equals(previousProgressingReason)) {
        event(false, PAUSED, "Rollout paused" + (s.targetImage != null ? " on the way to " + s.targetImage : ""));
      }
      return decision(Optional.empty(), Optional.empty(), PAUSED);
    }

    private Decision steady() {
      if (previousPhase == Phase.Paused) {
        event(false, RESUMED, "Rollout resumed");
      }
      forgetResolution();
      String keep = steadyReference();
      // not complete while an owned object (the Service, say) is missing or stale because its write was refused
      boolean complete = seen.bothCompleteOn(keep) && !writeRefused();
      s.phase = complete ? Phase.Available : Phase.Progressing;
      var progressing = Conditions.find(s.conditions, PROGRESSING);
      boolean justSucceeded = complete && progressing != null && "False".equals(progressing.getStatus())
          && (ROLLOUT_SUCCEEDED.equals(progressing.getReason()) || ROLLOUT_SUCCEEDED_LATE.equals(progressing.getReason()));
      if (!justSucceeded) {
        // (the success's own wording is as true as Steady's: rewriting it would be a write with
        // nothing new, one per rollout, on the next event of any kind)
        condition(PROGRESSING, !complete, complete ? STEADY : ROLLOUT_IN_PROGRESS,
            complete ? "Both tiers run " + s.image : "Bringing both tiers to " + s.image);
      }
      if (complete) {
        degraded(false, AS_EXPECTED, "Both tiers run " + s.image);
      }
      return decision(Optional.of(keep), Optional.empty(), STEADY);
    }

    /**
     * How the Deployments should name {@code status.image} in the steady state. After a rollout
     * they carry it as spec.image named it; after a revert, pinned to lastKnownGood.digest. Both
     * are that image, and switching between them would restart every pod for nothing, or worse,
     * run whatever a moved tag now points at. So: the tag while both tiers carry the tag, else
     * (reverted, drifted, deleted, or a superseded rollout half-way) the known-good digest of
     * that image when there is one.
     */
    private String steadyReference() {
      String pinned = pinnedKnownGood();
      String api = seen.api().image();
      if (api != null && api.equals(seen.worker().image())
          && (api.equals(s.image) || pinned != null && s.image.equals(s.lastKnownGood.image)
              && (api.equals(pinned) || api.equals(s.image + "@" + s.lastKnownGood.digest)))) {
        return api;
      }
      if (pinned == null || !s.image.equals(s.lastKnownGood.image)) {
        return s.image;
      }
      // drifted, deleted or half-way: the known-good bits, named the way this mode names them
      return resolvesByRegistry(s.image) ? s.image + "@" + s.lastKnownGood.digest : pinned;
    }

    private Decision blocked() {
      forgetResolution();
      if (s.phase == null || s.phase == Phase.Paused || s.phase == Phase.WaitingForDependencies) {
        s.phase = Phase.Failed;
      }
      String running = seen.api().image();
      if (s.phase == Phase.Failed && running != null && rollsSpecImage(running) && seen.bothCompleteOn(running)
          && s.api.available >= apiReplicas() && s.worker.available >= spec.worker.replicas) {
        // nothing was reverted and the failed image's pods came up after all, at the spec's scale
        // (not tiers stopped by a failed restore): late success. (After a revert the tiers run the
        // known-good image, so this never re-rolls a failed image.)
        return succeed(running, true);
      }
      var progressing = Conditions.find(s.conditions, PROGRESSING);
      if (progressing == null || !"False".equals(progressing.getStatus())) {
        // (the failure's own words, written when it happened, stay: they are as true and say more)
        condition(PROGRESSING, false, FAILED_IMAGE_NOT_RETRIED, spec.image + " failed (" + s.failedImage.reason
            + ") and is not rolled again until the spec changes or the rollgate.dev/retry annotation is bumped");
      }
      return decision(Optional.empty(), Optional.empty(), FAILED_IMAGE_NOT_RETRIED);
    }

    private Decision start() {
      if (!seen.dependenciesReady()) {
        return hold(WAITING_FOR_DEPENDENCIES);
      }
      String target = spec.image;
      String resolved = "";
      if (resolvesByRegistry(spec.image)) {
        ImageResolutionStatus waiting = s.imageResolution;
        if (waiting != null && spec.image.equals(waiting.image) && waiting.retryAt != null
            && now.isBefore(Times.parse(waiting.retryAt))) {
          // asked not long ago: nothing new to say until the backoff is over
          var why = Conditions.find(s.conditions, IMAGE_RESOLVED);
          return decision(Optional.empty(), Optional.of(Duration.between(now, Times.parse(waiting.retryAt))),
              why == null ? IMAGE_RESOLVED : why.getReason());
        }
        Resolution answer = in.registry().resolve(spec.image);
        if (answer instanceof Resolution.Unresolved u) {
          return unresolved(u);
        }
        String digest = ((Resolution.Resolved) answer).digest();
        target = spec.image + "@" + digest;
        resolved = " (" + digest + ", resolved by the registry)";
        condition(IMAGE_RESOLVED, true, RESOLVED, spec.image + " resolved to " + digest
            + " when the rollout started; both tiers roll to " + target);
      }
      s.imageResolution = null;
      // The snapshot: where a revert goes back to, recorded before any Deployment changes.
      if (s.image != null && (s.lastKnownGood == null || !s.image.equals(s.lastKnownGood.image))) {
        // Only the reference can tell the digest here: the pods running now may have been
        // started after the gate passed, and a tag can have moved in between.
        String digest = ImageReference.tryParse(s.image).flatMap(ImageReference::digest).orElse(null);
        s.lastKnownGood = new LastKnownGood(s.image, digest, Times.format(now));
      }
      s.targetImage = target;
      s.rolloutStartedAt = Times.format(now);
      s.revertStartedAt = null;
      s.conditions.removeIf(c -> RESTORE_AVAILABLE.equals(c.getType()));
      String from = s.image == null ? "nothing (first install)" : s.image;
      if (spec.migration != null) {
        if (spec.migration.compatibility == Compatibility.Breaking && spec.backup != null && s.image != null) {
          return beginBackup(target, from, resolved);
        }
        return beginMigration(target, from, resolved);
      }
      s.progress = new RolloutProgress(null, Times.format(now));
      s.phase = Phase.Progressing;
      String what = "Rolling api and worker from " + from + " to " + spec.image + resolved;
      condition(PROGRESSING, true, ROLLOUT_STARTED, what);
      event(false, ROLLOUT_STARTED, what);
      milestones.add(Milestone.of(Kind.STARTED));
      return decision(Optional.of(target), Optional.of(timeout()), ROLLOUT_STARTED);
    }

    /**
     * The registry gave no digest: nothing starts, phase Pending, the registry's words in the
     * ImageResolved condition (and an Event when they change), and the next attempt after a
     * wait that doubles with each failure.
     */
    private Decision unresolved(Resolution.Unresolved u) {
      ImageResolutionStatus before = s.imageResolution;
      int failures = before != null && spec.image.equals(before.image) && before.failures != null
          ? before.failures + 1 : 1;
      Duration wait = RESOLUTION_BACKOFF_MIN.multipliedBy(1L << Math.min(failures - 1, 16));
      if (wait.compareTo(RESOLUTION_BACKOFF_MAX) > 0) {
        wait = RESOLUTION_BACKOFF_MAX;
      }
      s.imageResolution = new ImageResolutionStatus(spec.image, failures, Times.format(now.plus(wait)));
      s.phase = Phase.Pending;
      var previous = Conditions.find(s.conditions, IMAGE_RESOLVED);
      boolean news = previous == null || !"False".equals(previous.getStatus())
          || !u.message().equals(previous.getMessage());
      condition(IMAGE_RESOLVED, false, u.reason(), u.message());
      condition(PROGRESSING, false, u.reason(), "Not rolling to " + spec.image + " until the registry resolves it ("
          + failures + (failures == 1 ? " attempt" : " attempts") + " failed; next in " + wait.toSeconds() + "s): "
          + u.message());
      if (news) {
        event(true, u.reason(), "Cannot resolve " + spec.image + "; nothing is rolled until it resolves: " + u.message());
      }
      return decision(Optional.empty(), Optional.of(wait), u.reason());
    }

    /** A resolution waiting for a spec.image that is no longer due: its record and condition go. */
    private void forgetResolution() {
      if (s.imageResolution != null) {
        s.imageResolution = null;
        s.conditions.removeIf(c -> IMAGE_RESOLVED.equals(c.getType()) && "False".equals(c.getStatus()));
      }
    }

    /**
     * Before a Breaking migration: the backup Job (spec.backup) runs; nothing else changes until
     * it completes. Seen once, never asked for again, as the migration.
     */
    private Decision backingUp() {
      String target = s.targetImage;
      BackupStatus b = s.migration.backup;
      if (!rollsSpecImage(target)) {
        return supersede(target);
      }
      JobStep step = new JobStep(b.job, b.startedAt, backupTimeout(),
          new JobRun(JobRun.Kind.BACKUP, b.job, spec.backup == null ? null : spec.backup.image, b.id),
          BACKUP_FAILED, BACKUP_TIMEOUT, BACKUP_JOB_LOST, BACKUP_RUNNING);
      return awaitJob(step, b.result, r -> b.result = r, () -> backedUp(target),
          (reason, message) -> backupFailed(target, reason, message),
          "Backup Job " + b.job + " runs before the Breaking migration for " + spec.image + "; " + stillRunning()
              + " until it and the migration complete");
    }

    /** A Job the rollout waits for before the tiers (the backup, the migration), and its reasons. */
    private record JobStep(String job, String startedAt, Duration timeout, JobRun run, String failed,
        String timedOut, String lost, String running) {}

    /**
     * Waits for a step's Job: asked for while Pending (created when absent); once seen it is
     * never asked for again, so a Job that disappears fails the rollout instead of running twice.
     * Fails on the Job's failure, on a pod of its image that cannot start (failFast), and at its
     * deadline plus grace (the Job's activeDeadlineSeconds stops it on time; this catches one that
     * never ran at all).
     */
    private Decision awaitJob(JobStep step, MigrationStatus.Result recorded,
        Consumer<MigrationStatus.Result> mark, Supplier<Decision> succeeded,
        BiFunction<String, String, Decision> failed, String waiting) {
      JobObservation observed = seen.job(step.job());
      if (observed != null) {
        recorded = MigrationStatus.Result.Running;
        mark.accept(recorded);
        if (observed.state() == JobObservation.State.Succeeded) {
          return succeeded.get();
        }
        if (observed.state() == JobObservation.State.Failed) {
          return failed.apply(observed.timedOut() ? step.timedOut() : step.failed(), observed.message());
        }
      } else if (recorded == MigrationStatus.Result.Running) {
        return failed.apply(step.lost(), "Job " + step.job() + " was deleted before it finished; it is not run "
            + "twice for one rollout (bump the rollgate.dev/retry annotation to start over)");
      }
      if (Boolean.TRUE.equals(spec.rollout.failFast)) {
        for (PodFailure p : seen.podFailures()) {
          if (p.image().equals(step.run().image())) {
            return failed.apply(p.reason(), "pod " + p.pod() + " is in " + p.reason()
                + (p.message() == null || p.message().isBlank() ? "" : " (" + p.message() + ")"));
          }
        }
      }
      Instant due = Times.parse(step.startedAt()).plus(step.timeout()).plus(MIGRATION_GRACE);
      if (!due.isAfter(now)) {
        return failed.apply(step.timedOut(), "Job " + step.job() + " did not finish within "
            + step.timeout().toSeconds() + "s");
      }
      if (recorded == MigrationStatus.Result.Pending) {
        job = step.run();
      }
      condition(PROGRESSING, true, step.running(), waiting);
      return decision(Optional.empty(), Optional.of(atLeastASecond(Duration.between(now, due))), step.running());
    }

    private Decision beginBackup(String target, String from, String resolved) {
      MigrationStatus m = new MigrationStatus(migrationJobName(target), target, Compatibility.Breaking, null);
      String id = jobName("backup", target + " " + s.rolloutStartedAt);
      m.backup = new BackupStatus(id, id, Times.format(now));
      return beginGate(m, Phase.BackingUp, new JobRun(JobRun.Kind.BACKUP, id, spec.backup.image, id), BACKUP_STARTED,
          "Backing up the database (Job " + id + ") before the Breaking migration for " + spec.image + resolved
              + "; then migrating (Job " + m.job + ") and rolling api and worker from " + from
              + "; neither tier changes until both complete", backupTimeout());
    }

    /** A rollout starts with a Job before the tiers (backup or migration): recorded, asked for, announced. */
    private Decision beginGate(MigrationStatus m, Phase phase, JobRun run, String reason, String what,
        Duration timeout) {
      s.migration = m;
      s.progress = null;
      s.phase = phase;
      job = run;
      condition(PROGRESSING, true, reason, what);
      event(false, reason, what);
      milestones.add(Milestone.of(Kind.STARTED));
      return decision(Optional.empty(), Optional.of(timeout.plus(MIGRATION_GRACE)), reason);
    }

    /** The backup is complete: it belongs to the known-good image; now the migration runs. */
    private Decision backedUp(String target) {
      MigrationStatus m = s.migration;
      BackupStatus b = m.backup;
      b.result = MigrationStatus.Result.Succeeded;
      b.finishedAt = Times.format(now);
      s.lastKnownGood.backup = new KnownGoodBackup(b.id, b.startedAt, m.job);
      m.startedAt = Times.format(now);
      s.phase = Phase.Migrating;
      job = JobRun.migration(m.job, target);
      String what = "Backup " + b.id + " complete (writes after " + b.startedAt + " are not in it); migrating for "
          + spec.image + " (Job " + m.job + ", Breaking)";
      condition(PROGRESSING, true, BACKUP_SUCCEEDED, what);
      event(false, BACKUP_SUCCEEDED, what);
      return decision(Optional.empty(), Optional.of(migrationTimeout().plus(MIGRATION_GRACE)), BACKUP_SUCCEEDED);
    }

    private Decision backupFailed(String target, String reason, String message) {
      MigrationStatus m = s.migration;
      BackupStatus b = m.backup;
      b.result = MigrationStatus.Result.Failed;
      b.finishedAt = Times.format(now);
      b.message = message;
      m.result = MigrationStatus.Result.Abandoned;
      m.message = "not run: the backup before it failed";
      return gateFailed("Backup Job " + b.job + " before the migration for " + target, reason, message);
    }

    private Duration backupTimeout() {
      return Duration.ofSeconds(spec.backup != null ? spec.backup.timeoutSeconds : 600);
    }

    // ---- restore (rollgate.dev/restore) --------------------------------------------------

    /** A restore annotation this status has not answered yet. */
    private boolean restoreAsked() {
      return in.restoreRequest() != null && !in.restoreRequest().isBlank()
          && (s.restore == null || !in.restoreRequest().equals(s.restore.requested));
    }

    /** Null when the backup the annotation names can be restored now; else why not. */
    private String restorable() {
      String id = in.restoreRequest();
      KnownGoodBackup backup = s.lastKnownGood == null ? null : s.lastKnownGood.backup;
      var available = Conditions.find(s.conditions, RESTORE_AVAILABLE);
      if (backup == null) {
        return "there is no backup to restore (status.lastKnownGood.backup is empty)";
      }
      if (!id.equals(backup.id)) {
        return "the backup that can be restored is " + backup.id + ", not " + id;
      }
      if (s.phase != Phase.Failed || available == null || !"True".equals(available.getStatus())) {
        return "a restore is only done after a failed rollout held by a Breaking migration (RestoreAvailable True); "
            + "now the phase is " + s.phase;
      }
      if (spec.backup == null) {
        return "spec.backup is not set, so there is no restore command to run";
      }
      return null;
    }

    private void rejectRestore(String why) {
      RestoreStatus r = new RestoreStatus();
      r.requested = in.restoreRequest();
      r.result = "Rejected";
      r.message = why;
      r.startedAt = Times.format(now);
      r.finishedAt = r.startedAt;
      s.restore = r;
      event(true, RESTORE_REJECTED, "Not restoring " + r.requested + ": " + why);
    }

    /** Asked for and restorable: first both tiers go to 0, so nothing writes while the data is replaced. */
    private Decision startRestore() {
      KnownGoodBackup backup = s.lastKnownGood.backup;
      RestoreStatus r = new RestoreStatus();
      r.requested = in.restoreRequest();
      r.step = RestoreStatus.Step.ScaleDown;
      r.job = jobName("restore", backup.id + " " + Times.format(now));
      r.result = MigrationStatus.Result.Pending.name();
      r.startedAt = Times.format(now);
      s.restore = r;
      s.phase = Phase.Restoring;
      String what = "Restoring the database from backup " + backup.id + " (taken " + backup.takenAt + "): every write "
          + "after " + backup.takenAt + " is lost; scaling both tiers to 0, then restore Job " + r.job + ", then both "
          + "tiers back on " + s.lastKnownGood.image;
      condition(PROGRESSING, true, RESTORE_STARTED, what);
      event(true, RESTORE_STARTED, what);
      return restoring();
    }

    private Decision restoring() {
      RestoreStatus r = s.restore;
      KnownGoodBackup backup = s.lastKnownGood.backup;
      String running = seen.api().image() != null ? seen.api().image() : s.image;
      stopTiers = true;
      if (r.step == RestoreStatus.Step.ScaleDown) {
        if (seen.tierPods() != 0) {
          condition(PROGRESSING, true, RESTORE_IN_PROGRESS, "Restoring backup " + backup.id + ": waiting for both "
              + "tiers to stop (" + seen.tierPods() + " pods left)");
          return decision(Optional.ofNullable(running), Optional.empty(), RESTORE_IN_PROGRESS);
        }
        r.step = RestoreStatus.Step.Restore;
      }
      JobObservation observed = seen.job(r.job);
      if (observed != null) {
        r.result = MigrationStatus.Result.Running.name();
        if (observed.state() == JobObservation.State.Succeeded) {
          return restored(backup);
        }
        if (observed.state() == JobObservation.State.Failed) {
          return restoreFailed(running, observed.message());
        }
      } else if (MigrationStatus.Result.Running.name().equals(r.result)) {
        return restoreFailed(running, "Job " + r.job + " was deleted before it finished");
      }
      if (MigrationStatus.Result.Pending.name().equals(r.result)) {
        job = new JobRun(JobRun.Kind.RESTORE, r.job, spec.backup == null ? null : spec.backup.image, backup.id);
      }
      condition(PROGRESSING, true, RESTORE_IN_PROGRESS, "Restoring backup " + backup.id + ": restore Job " + r.job
          + " runs; both tiers are at 0 replicas");
      return decision(Optional.ofNullable(running), Optional.empty(), RESTORE_IN_PROGRESS);
    }

    /** The data is back: the tiers go back to the known-good image, as a revert, and come back up. */
    private Decision restored(KnownGoodBackup backup) {
      RestoreStatus r = s.restore;
      r.step = RestoreStatus.Step.Revert;
      r.result = MigrationStatus.Result.Succeeded.name();
      r.finishedAt = Times.format(now);
      String failed = s.failedImage == null ? spec.image : s.failedImage.image;
      String why = "Database restored from backup " + backup.id + ": writes after " + backup.takenAt
          + " are lost; reverting both tiers to " + s.lastKnownGood.image;
      record(new HistoryEntry(failed, Result.Restored, r.startedAt, Times.format(now), DATABASE_RESTORED + ": backup "
          + backup.id + " taken " + backup.takenAt + "; writes after it are lost"));
      event(true, DATABASE_RESTORED, why);
      s.conditions.removeIf(c -> RESTORE_AVAILABLE.equals(c.getType()));
      s.lastKnownGood.backup = null;
      String pinned = pinnedKnownGood();
      String back = pinned == null ? s.lastKnownGood.image : pinned;
      s.phase = Phase.RollingBack;
      s.targetImage = back;
      s.revertStartedAt = Times.format(now);
      s.progress = new RolloutProgress(null, Times.format(now));
      stopTiers = false;
      condition(PROGRESSING, true, REVERT_IN_PROGRESS, why);
      milestones.add(Milestone.of(Kind.REVERT_ISSUED));
      return decision(Optional.of(back), Optional.of(timeout()), DATABASE_RESTORED);
    }

    private Decision restoreFailed(String running, String message) {
      RestoreStatus r = s.restore;
      r.result = MigrationStatus.Result.Failed.name();
      r.message = message;
      r.finishedAt = Times.format(now);
      s.phase = Phase.Failed;
      String why = "Restore Job " + r.job + " failed: " + message + "; both tiers stay at 0 replicas (the database may "
          + "be partly restored): restore it by hand, then set spec.image to " + s.lastKnownGood.image;
      condition(PROGRESSING, false, RESTORE_FAILED, why);
      condition(RESTORE_AVAILABLE, false, RESTORE_FAILED, "The restore of " + r.requested + " was tried and failed; "
          + "Rollgate does not run it again");
      degraded(true, RESTORE_FAILED, why);
      event(true, RESTORE_FAILED, why);
      return decision(Optional.ofNullable(running), Optional.empty(), RESTORE_FAILED);
    }

    /**
     * The migration gate: the Job named in status runs {@code target}; neither tier changes until
     * it completes. Asked for while Pending (created when absent); once seen it is never asked
     * for again, so a Job that disappears fails the rollout instead of running twice.
     */
    private Decision migrating() {
      String target = s.targetImage;
      MigrationStatus m = s.migration;
      if (!rollsSpecImage(target)) {
        return supersede(target);
      }
      JobStep step = new JobStep(m.job, m.startedAt, migrationTimeout(), JobRun.migration(m.job, target),
          MIGRATION_FAILED, MIGRATION_TIMEOUT, MIGRATION_JOB_LOST, MIGRATION_RUNNING);
      return awaitJob(step, m.result, r -> m.result = r, () -> migrated(target),
          (reason, message) -> migrationFailed(target, reason, message),
          "Migration Job " + m.job + " runs " + target + "; " + stillRunning() + " until it completes");
    }

    private Decision beginMigration(String target, String from, String resolved) {
      MigrationStatus m = new MigrationStatus(migrationJobName(target), target, spec.migration.compatibility,
          Times.format(now));
      return beginGate(m, Phase.Migrating, JobRun.migration(m.job, target), MIGRATION_STARTED,
          "Migrating for " + spec.image + resolved + " (Job " + m.job + ", " + m.compatibility
              + ") before rolling api and worker from " + from + "; neither tier changes until it completes",
          migrationTimeout());
    }

    /** The migration completed: now the tiers roll, and the progress deadline starts counting. */
    private Decision migrated(String target) {
      MigrationStatus m = s.migration;
      m.result = MigrationStatus.Result.Succeeded;
      m.finishedAt = Times.format(now);
      s.phase = Phase.Progressing;
      s.progress = new RolloutProgress(null, Times.format(now));
      String from = s.image == null ? "nothing (first install)" : s.image;
      String what = "Migration Job " + m.job + " completed; rolling api and worker from " + from + " to " + target;
      condition(PROGRESSING, true, MIGRATION_SUCCEEDED, what);
      event(false, MIGRATION_SUCCEEDED, what);
      return decision(Optional.of(target), Optional.of(timeout()), MIGRATION_SUCCEEDED);
    }

    /** The migration failed or ran out of time: the rollout fails, and since nothing was rolled, nothing is reverted. */
    private Decision migrationFailed(String target, String reason, String message) {
      MigrationStatus m = s.migration;
      m.result = MigrationStatus.Result.Failed;
      m.finishedAt = Times.format(now);
      m.message = message;
      return gateFailed("Migration Job " + m.job + " of " + target, reason, message);
    }

    /** A Job before the tiers (backup, migration) failed: the rollout fails with nothing to revert. */
    private Decision gateFailed(String what, String reason, String message) {
      rememberFailure(reason, message);
      s.phase = Phase.Failed;
      s.targetImage = null;
      s.progress = null;
      String why = what + " failed: " + message + "; neither tier was changed ("
          + (s.image == null ? "nothing was installed" : "both run " + s.image) + ")";
      record(new HistoryEntry(spec.image, Result.Failed, s.rolloutStartedAt, Times.format(now), reason));
      condition(PROGRESSING, false, reason, why);
      degraded(true, reason, why);
      event(true, reason, why);
      milestones.add(Milestone.of(Kind.FAILED));
      return decision(Optional.empty(), Optional.empty(), reason);
    }

    private String stillRunning() {
      return s.image == null ? "nothing is installed" : "both tiers stay on " + s.image;
    }

    private Duration migrationTimeout() {
      return Duration.ofSeconds(spec.migration != null ? spec.migration.timeoutSeconds : 600);
    }

    /**
     * {@code <name>-migrate-<key>}: the key is a hash of the target and the rollout's start, so a
     * restarted operator finds the same Job and a new rollout (or a retry) gets a new one. At most
     * 63 characters, as a Job's name must be to label its pods.
     */
    private String migrationJobName(String target) {
      return jobName("migrate", target + " " + s.rolloutStartedAt);
    }

    /** {@code <name>-<what>-<key of seed>}, at most 63 characters. */
    private String jobName(String what, String seed) {
      int room = 63 - what.length() - 12;
      String prefix = in.name().length() > room ? in.name().substring(0, room) : in.name();
      while (prefix.endsWith("-") || prefix.endsWith(".")) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
      return prefix + "-" + what + "-" + key(seed);
    }

    private Decision rollingOut() {
      String target = s.targetImage;
      if (!rollsSpecImage(target)) {
        return supersede(target);
      }
      if (!seen.dependenciesReady()) {
        return hold(WAITING_FOR_DEPENDENCIES);
      }
      if (s.phase == Phase.WaitingForDependencies || s.phase == Phase.Paused) {
        // The clock restarts when a hold ends: time spent waiting for the database must not
        // count against the image.
        s.rolloutStartedAt = Times.format(now);
        s.progress = new RolloutProgress(s.progress == null ? null : s.progress.mark, Times.format(now));
        s.phase = Phase.Progressing;
        event(false, RESUMED, "Rollout to " + target + " resumed");
      }
      if (seen.bothCompleteOn(target)) {
        return succeed(target, false);
      }
      Instant started = Times.parse(s.rolloutStartedAt);
      trackProgress(target, started);
      Failure failure = failureOf(target, started);
      if (failure != null) {
        return fail(target, failure);
      }
      s.phase = Phase.Progressing;
      condition(PROGRESSING, true, ROLLOUT_IN_PROGRESS, "Rolling api and worker to " + target + ": " + countsText());
      return decision(Optional.of(target), Optional.of(timeLeft(started)), ROLLOUT_IN_PROGRESS);
    }

    private Decision reverting() {
      String target = s.targetImage;
      String failed = s.failedImage == null ? null : s.failedImage.image;
      String good = s.lastKnownGood == null ? null : s.lastKnownGood.image;
      // spec.image set to the known-good tag agrees with the revert (the target is its pinned form)
      if (!spec.image.equals(target) && !spec.image.equals(failed) && !spec.image.equals(good)) {
        // A new image replaces the revert: whatever it was, the user has moved on.
        record(new HistoryEntry(failed, Result.Failed, s.rolloutStartedAt, Times.format(now),
            "revert to " + target + " interrupted by a new spec.image " + spec.image));
        s.targetImage = null;
        return start();
      }
      Instant started = Times.parse(s.revertStartedAt);
      if (!seen.dependenciesReady()) {
        // Not judged while a dependency is down; keep the deadline from passing meanwhile.
        if (!progressClock(started).plus(timeout()).isAfter(now)) {
          s.revertStartedAt = Times.format(now);
          s.progress = new RolloutProgress(s.progress == null ? null : s.progress.mark, Times.format(now));
        }
        return decision(Optional.of(target), Optional.empty(), WAITING_FOR_DEPENDENCIES);
      }
      if (seen.bothCompleteOn(target)) {
        s.phase = Phase.RolledBack;
        s.targetImage = null;
        s.revertStartedAt = null;
        s.progress = null;
        String why = failed + " failed (" + s.failedImage.reason + "); both tiers rolled back to " + target;
        record(new HistoryEntry(failed, Result.RolledBack, s.rolloutStartedAt, Times.format(now),
            s.failedImage.reason));
        condition(PROGRESSING, false, ROLLED_BACK, why);
        degraded(true, ROLLED_BACK, why);
        event(true, ROLLED_BACK, why);
        milestones.add(new Milestone(Kind.REVERTED, Duration.between(started, now)));
        return decision(Optional.of(target), Optional.empty(), ROLLED_BACK);
      }
      trackProgress(target, started);
      Failure failure = failureOf(target, started);
      if (failure != null) {
        s.phase = Phase.Failed;
        s.targetImage = null;
        s.revertStartedAt = null;
        s.progress = null;
        String why = "Revert to " + target + " failed: " + failure.message
            + "; Rollgate leaves both tiers as they are";
        record(new HistoryEntry(failed, Result.Failed, s.rolloutStartedAt, Times.format(now),
            REVERT_FAILED + ": " + failure.reason));
        condition(PROGRESSING, false, REVERT_FAILED, why);
        degraded(true, REVERT_FAILED, why);
        event(true, REVERT_FAILED, why);
        milestones.add(Milestone.of(Kind.FAILED));
        return decision(Optional.empty(), Optional.empty(), REVERT_FAILED);
      }
      condition(PROGRESSING, true, REVERT_IN_PROGRESS, "Reverting both tiers to " + target + ": " + countsText());
      return decision(Optional.of(target), Optional.of(timeLeft(started)), REVERT_IN_PROGRESS);
    }

    // ---- transitions --------------------------------------------------------------------

    private Decision hold(String reason) {
      s.phase = Phase.WaitingForDependencies;
      String message = "Waiting for dependencies before rolling to " + spec.image + ": " + notReadyText();
      condition(PROGRESSING, true, WAITING_FOR_DEPENDENCIES, message);
      if (previousPhase != Phase.WaitingForDependencies) {
        event(false, WAITING_FOR_DEPENDENCIES, message);
      }
      return decision(Optional.empty(), Optional.empty(), reason);
    }

    private Decision supersede(String target) {
      String note = abandonGate("rollout superseded by " + spec.image);
      record(new HistoryEntry(target, Result.Superseded, s.rolloutStartedAt, Times.format(now),
          "spec.image changed to " + spec.image + note));
      event(false, ROLLOUT_SUPERSEDED, "Rollout to " + target + " superseded by " + spec.image);
      s.targetImage = null;
      s.rolloutStartedAt = null;
      s.progress = null;
      if (spec.image.equals(s.image)) {
        return steady();
      }
      return start();
    }

    /**
     * A rollout left while its backup or migration Job runs: the Job is not stopped (a migration,
     * or a backup, is not something to interrupt half-way) but marked Abandoned. Returns a note
     * naming the Job, empty when no gate was running.
     */
    private String abandonGate(String why) {
      if ((s.phase != Phase.Migrating && s.phase != Phase.BackingUp) || s.migration == null) {
        return "";
      }
      boolean backingUp = s.phase == Phase.BackingUp;
      s.migration.result = MigrationStatus.Result.Abandoned;
      s.migration.finishedAt = Times.format(now);
      s.migration.message = why + (backingUp ? "; not run" : "; the Job, if it runs, is left to finish");
      if (backingUp) {
        s.migration.backup.result = MigrationStatus.Result.Abandoned;
        s.migration.backup.finishedAt = Times.format(now);
      }
      return backingUp ? " (its backup Job " + s.migration.backup.job + " is left to finish)"
          : " (its migration Job " + s.migration.job + " is left to finish)";
    }

    /** Whether the rollgate.dev/abort annotation carries a value not handled yet. */
    private boolean abortAsked() {
      return in.abortRequest() != null && !in.abortRequest().isBlank()
          && !in.abortRequest().equals(s.abortHandled);
    }

    /**
     * A new rollgate.dev/abort value: the rollout in flight to spec.image fails with reason
     * Aborted and both tiers go back to the last known-good image, whatever onFailure says (a
     * rollout behind a Breaking migration is held instead, as any failure after one is). A
     * backup or migration Job in flight is left to finish; nothing was rolled, so nothing is
     * reverted. With no rollout in flight the value is recorded, an Event says so, and nothing else changes.
     */
    private Decision abort() {
      s.abortHandled = in.abortRequest();
      String target = s.targetImage;
      boolean inFlight = target != null && rollsSpecImage(target) && (s.phase == Phase.Progressing
          || s.phase == Phase.WaitingForDependencies || s.phase == Phase.Migrating || s.phase == Phase.BackingUp);
      if (!inFlight) {
        event(false, NOTHING_TO_ABORT, "rollgate.dev/abort=" + in.abortRequest() + ": no rollout in flight"
            + (s.phase == Phase.RollingBack ? " (a revert to " + target + " is, and goes on)" : ""));
        return next();
      }
      String why = "aborted with rollgate.dev/abort=" + in.abortRequest();
      if (s.phase == Phase.Migrating || s.phase == Phase.BackingUp) {
        String note = abandonGate("rollout aborted");
        return gateFailed("Rollout to " + target, ABORTED, why + note);
      }
      return fail(target, new Failure(ABORTED, why));
    }

    /**
     * Both tiers complete on {@code target}, spec.image as named or pinned. {@code late}: after the
     * rollout had been judged failed with nothing reverted (first install, onFailure Hold), its
     * pods came up anyway; the application is fine, so the status says so.
     */
    private Decision succeed(String target, boolean late) {
      Instant started = s.rolloutStartedAt == null ? now : Times.parse(s.rolloutStartedAt);
      String lateReason = late && s.failedImage != null ? s.failedImage.reason : null;
      // Known-good is what the gated pods ran: their digest, read now, while they are the ones
      // that passed; none rather than a guess when they do not all say the same.
      String digest = spec.rollout.imageResolution == ImageResolution.None
          ? ImageReference.tryParse(target).flatMap(ImageReference::digest).orElse(null)
          : RunningDigest.of(target, seen).orElse(null);
      String image = spec.image;   // the name people know: target may be it pinned by the registry
      s.image = image;
      s.lastKnownGood = new LastKnownGood(image, digest, Times.format(now));
      s.targetImage = null;
      s.progress = null;
      s.phase = Phase.Available;
      if (s.failedImage != null && image.equals(s.failedImage.image)) {
        s.failedImage = null;
      }
      String reason = late ? ROLLOUT_SUCCEEDED_LATE : ROLLOUT_SUCCEEDED;
      HistoryEntry entry = new HistoryEntry(image, Result.Succeeded, s.rolloutStartedAt, Times.format(now),
          late ? ROLLOUT_SUCCEEDED_LATE + ": complete after it was judged failed (" + lateReason + ")" : reason);
      entry.digest = digest;
      record(entry);
      String why = "Both tiers run " + target;
      condition(PROGRESSING, false, reason, late ? why + ", complete after the rollout was judged failed ("
          + lateReason + ")" : why);
      degraded(false, AS_EXPECTED, why);
      event(false, reason, late
          ? "Rollout to " + target + " completed after it was judged failed (" + lateReason + "): " + countsText()
          : "Rollout to " + target + " succeeded: " + countsText());
      if (!late) {
        milestones.add(new Milestone(Kind.SUCCEEDED, Duration.between(started, now)));
      }
      return decision(Optional.of(target), Optional.empty(), reason);
    }

    private void rememberFailure(String reason, String message) {
      FailedImage f = new FailedImage();
      f.image = spec.image;
      f.reason = reason;
      f.message = message;
      f.at = Times.format(now);
      f.generation = in.generation();
      f.retryToken = in.retryToken();
      s.failedImage = f;
    }

    /** Whether this rollout ran a Breaking migration and the spec says to hold after it fails. */
    private boolean heldForSchema(String target) {
      MigrationStatus m = s.migration;
      return m != null && m.result == MigrationStatus.Result.Succeeded && target.equals(m.image)
          && m.compatibility == Compatibility.Breaking
          && (spec.migration == null || spec.migration.afterFailure != AfterBreakingFailure.RevertImage);
    }

    private Decision fail(String target, Failure failure) {
      rememberFailure(failure.reason, failure.message);
      String good = s.lastKnownGood == null ? null : s.lastKnownGood.image;
      boolean held = heldForSchema(target);
      // an abort asks for the known-good image back, whatever onFailure says (but not onto a Breaking schema)
      boolean revert = (spec.rollout.onFailure == OnFailure.Revert || ABORTED.equals(failure.reason)) && good != null
          && !good.equals(spec.image) && !held;
      if (revert) {
        // Back to the bits that passed the gate, not to whatever the tag names today.
        String pinned = pinnedKnownGood();
        String back = pinned == null ? good : pinned;
        s.phase = Phase.RollingBack;
        s.targetImage = back;
        s.revertStartedAt = Times.format(now);
        s.progress = new RolloutProgress(null, Times.format(now));
        String why = "Rollout to " + target + " failed: " + failure.message + "; reverting both tiers to " + back
            + tagMovedNote(pinned);
        condition(PROGRESSING, true, REVERT_IN_PROGRESS, why);
        degraded(true, failure.reason, why);
        event(true, ROLLOUT_FAILED, why);
        milestones.add(Milestone.of(Kind.REVERT_ISSUED));
        return decision(Optional.of(back), Optional.of(timeout()), ROLLOUT_FAILED);
      }
      s.phase = Phase.Failed;
      s.targetImage = null;
      s.progress = null;
      String tail = good == null ? "there is no earlier image to revert to (first install)"
          : held ? "its migration (Job " + s.migration.job + ") was Breaking, so " + good + " may not work on the "
              + "migrated schema: both tiers are left as they are (see the RestoreAvailable condition)"
          : "onFailure is Hold: both tiers are left as they are";
      String why = "Rollout to " + target + " failed: " + failure.message + "; " + tail;
      record(new HistoryEntry(spec.image, Result.Failed, s.rolloutStartedAt, Times.format(now), failure.reason));
      KnownGoodBackup backup = s.lastKnownGood == null ? null : s.lastKnownGood.backup;
      if (held && good != null && backup != null && s.migration.backup != null
          && backup.id.equals(s.migration.backup.id)) {
        condition(RESTORE_AVAILABLE, true, BACKUP_TAKEN, "kubectl annotate apideployment " + in.name() + " "
            + "rollgate.dev/restore=" + backup.id + " restores the database from backup " + backup.id + " (taken "
            + backup.takenAt + ", before migration Job " + backup.beforeMigration + "; every write after it is lost), "
            + "with both tiers scaled to 0, then reverts both tiers to " + good + "; to try " + spec.image
            + " again instead, bump the rollgate.dev/retry annotation");
      } else if (held && good != null) {
        condition(RESTORE_AVAILABLE, false, NO_BACKUP, "No backup was taken before migration Job "
            + s.migration.job + " (started " + s.migration.startedAt + "): to go back, restore the database to its "
            + "state before then, then set spec.image to " + good + "; to try " + spec.image
            + " again, bump the rollgate.dev/retry annotation");
      }
      condition(PROGRESSING, false, held && good != null ? HELD_AFTER_BREAKING_MIGRATION : ROLLOUT_FAILED, why);
      degraded(true, failure.reason, why);
      event(true, ROLLOUT_FAILED, why);
      milestones.add(Milestone.of(Kind.FAILED));
      return decision(Optional.empty(), Optional.empty(), ROLLOUT_FAILED);
    }

    // ---- judging ------------------------------------------------------------------------

    private record Failure(String reason, String message) {}

    /**
     * The first reason to give up on the rollout (or revert) to {@code image} that started at
     * {@code started}: a stuck pod of that image (fail fast), the Deployment controller's
     * ProgressDeadlineExceeded, or our own deadline.
     */
    private Failure failureOf(String image, Instant started) {
      if (Boolean.TRUE.equals(spec.rollout.failFast)) {
        for (PodFailure p : seen.podFailures()) {
          if (image.equals(p.image())) {
            return new Failure(p.reason(), "pod " + p.pod() + " is in " + p.reason()
                + (p.message() == null || p.message().isBlank() ? "" : " (" + p.message() + ")"));
          }
        }
      }
      // The Deployment controller reports ProgressDeadlineExceeded no earlier than
      // progressDeadlineSeconds (= timeoutSeconds) after the rollout began. An older one is left
      // over from what came before: e.g. a revert issued at 12:00:39.2 right after the failed
      // rollout's deadline still sees that rollout's condition stamped 12:00:39, and must not
      // count it against the revert. One second of slack for the second-precision timestamps.
      Instant earliestGenuine = started.plus(timeout()).minusSeconds(1);
      for (var tier : List.of(seen.api(), seen.worker())) {
        if (tier.deadlineExceededOn(image, earliestGenuine)) {
          return new Failure(PROGRESS_DEADLINE_EXCEEDED, "a Deployment made no progress within "
              + spec.rollout.timeoutSeconds + "s (" + countsText() + ")");
        }
      }
      if (!progressClock(started).plus(timeout()).isAfter(now)) {
        return new Failure(ROLLOUT_TIMEOUT, "no progress for " + spec.rollout.timeoutSeconds + "s ("
            + countsText() + ")");
      }
      if (spec.rollout.maxDurationSeconds != null
          && !started.plusSeconds(spec.rollout.maxDurationSeconds).isAfter(now)) {
        return new Failure(MAX_DURATION_EXCEEDED, "not complete within maxDurationSeconds "
            + spec.rollout.maxDurationSeconds + "s (" + countsText() + ")");
      }
      return null;
    }

    /**
     * Records progress towards {@code target}: a new high of the tiers' progress mark moves
     * {@code status.progress.at} to now. The first mark after a start or revert (the controller
     * has observed the new template) counts as progress; a status written before progress was
     * tracked starts counting from {@code started}.
     */
    private void trackProgress(String target, Instant started) {
      Integer mark = seen.progressTowards(target);
      RolloutProgress p = s.progress;
      if (p == null) {
        s.progress = new RolloutProgress(mark, Times.format(started));
        return;
      }
      if (mark != null && (p.mark == null || mark > p.mark)) {
        s.progress = new RolloutProgress(mark, Times.format(now));
      }
    }

    /** Where the progress deadline counts from: the last progress, never before {@code started}. */
    private Instant progressClock(Instant started) {
      if (s.progress == null || s.progress.at == null) {
        return started;
      }
      Instant at = Times.parse(s.progress.at);
      return at.isAfter(started) ? at : started;
    }

    private boolean isBlocked(String image) {
      FailedImage f = s.failedImage;
      return f != null && image.equals(f.image) && Objects.equals(f.generation, in.generation())
          && Objects.equals(f.retryToken, in.retryToken());
    }

    // ---- recording ----------------------------------------------------------------------

    private void recordCounts() {
      s.api = seen.api().counts();
      s.worker = seen.worker().counts();
      int ready = s.api.ready + s.worker.ready;
      int desired = apiReplicas() + spec.worker.replicas;
      s.ready = ready + "/" + desired;
    }

    private void recordDependencies() {
      if (seen.dependencies().isEmpty()) {
        condition(DEPENDENCIES_READY, true, NO_DEPENDENCIES, "No dependency StatefulSets declared");
      } else if (seen.dependenciesReady()) {
        condition(DEPENDENCIES_READY, true, ALL_DEPENDENCIES_READY, "Ready: " + seen.dependencies().stream()
            .map(DependencyState::name).collect(Collectors.joining(", ")));
      } else {
        condition(DEPENDENCIES_READY, false, DEPENDENCIES_NOT_READY, notReadyText());
      }
    }

    /** Available means both tiers serve with all desired replicas, whichever image they run. */
    /** Synced: how the reconciler's writes of the owned objects went, when it has just tried them. */
    private void recordSync() {
      ApplyOutcome applied = in.applied();
      var before = Conditions.find(s.conditions, SYNCED);
      if (applied == null) {
        if (before != null) {
          // not tried in this pass: what it says stands, of this generation now
          condition(SYNCED, before.getStatus(), before.getReason(), before.getMessage());
        }
        return;
      }
      if (applied.succeeded()) {
        if (before != null && "False".equals(before.getStatus())) {
          event(false, APPLIED, "The API server accepts the owned objects again");
        }
        condition(SYNCED, true, APPLIED, "The API server accepted every owned object");
        return;
      }
      if (before == null || !applied.message().equals(before.getMessage())) {
        event(true, APPLY_FAILED, applied.message());
      }
      condition(SYNCED, false, APPLY_FAILED, applied.message());
    }

    private boolean writeRefused() {
      var synced = Conditions.find(s.conditions, SYNCED);
      return synced != null && "False".equals(synced.getStatus());
    }

    /**
     * The kstatus trio, from the status just decided: Stalled when nothing moves without a change
     * from outside (a refused write; RolledBack; Failed, held included), Reconciling while the
     * operator works towards spec (rollout, revert, gate, restore, waiting), Ready only when both
     * tiers run spec.image, complete and available. At most one of Stalled and Reconciling is True.
     */
    private void recordReadiness() {
      var progressing = Conditions.find(s.conditions, PROGRESSING);
      String reason = progressing == null ? REPLICAS_UNAVAILABLE : progressing.getReason();
      String message = progressing == null ? countsText() : progressing.getMessage();
      boolean stalled = writeRefused() || s.phase == Phase.RolledBack || s.phase == Phase.Failed;
      if (writeRefused()) {
        var synced = Conditions.find(s.conditions, SYNCED);
        reason = APPLY_FAILED;
        message = synced.getMessage();
      }
      boolean ready = !stalled && s.targetImage == null && spec.image.equals(s.image)
          && (s.phase == Phase.Available || s.phase == Phase.Paused) && Conditions.isTrue(s.conditions, AVAILABLE);
      boolean reconciling = !stalled && !ready && s.phase != Phase.Paused;
      if (ready) {
        reason = ROLLED_OUT;
        message = "Both tiers run " + s.image + ": " + countsText();
      } else if (s.phase == Phase.Paused) {
        reason = PAUSED;
      }
      condition(READY, ready, reason, message);
      condition(STALLED, stalled, reason, message);
      condition(RECONCILING, reconciling, reason, message);
    }

    /**
     * While a write is refused, look again with a backoff that doubles: as long again as the
     * refusal has lasted, from 5 s up to 5 min (other events still wake the reconciler sooner).
     */
    private Decision retryingRefusedWrites(Decision d) {
      if (!writeRefused()) {
        return d;
      }
      var synced = Conditions.find(s.conditions, SYNCED);
      Duration lasted = Duration.between(Times.parse(synced.getLastTransitionTime()), now);
      Duration wait = lasted.compareTo(RESOLUTION_BACKOFF_MIN) < 0 ? RESOLUTION_BACKOFF_MIN
          : lasted.compareTo(RESOLUTION_BACKOFF_MAX) > 0 ? RESOLUTION_BACKOFF_MAX : lasted;
      Duration requeue = d.requeueAfter().filter(r -> r.compareTo(wait) < 0).orElse(wait);
      return new Decision(d.status(), d.applyImage(), d.runJob(), d.stopTiers(), d.events(), d.milestones(),
          Optional.of(requeue), d.reason());
    }

    private void recordAvailability() {
      boolean exists = seen.api().verdict() != RolloutVerdict.Missing
          && seen.worker().verdict() != RolloutVerdict.Missing;
      boolean available = exists && s.api.available >= apiReplicas()
          && s.worker.available >= spec.worker.replicas;
      condition(AVAILABLE, available, available ? ALL_REPLICAS_AVAILABLE : REPLICAS_UNAVAILABLE, countsText());
    }

    private void record(HistoryEntry entry) {
      s.history.add(entry);
      while (s.history.size() > HISTORY_LIMIT) {
        s.history.remove(0);
      }
    }

    private void condition(String type, boolean status, String reason, String message) {
      Conditions.set(s.conditions, type, status, reason, message, in.generation(), now);
    }

    private void condition(String type, String status, String reason, String message) {
      Conditions.set(s.conditions, type, status, reason, message, in.generation(), now);
    }

    private void degraded(boolean status, String reason, String message) {
      condition(DEGRADED, status, reason, message);
    }

    private void event(boolean warning, String reason, String message) {
      events.add(new RolloutEvent(warning, reason, message));
    }

    private Decision decision(Optional<String> apply, Optional<Duration> requeue, String reason) {
      return new Decision(s, apply, Optional.ofNullable(job), stopTiers, List.copyOf(events), List.copyOf(milestones), requeue,
          reason);
    }

    // ---- small helpers ------------------------------------------------------------------

    /** Whether {@code image} is resolved by the registry before it is rolled: Registry mode, and not pinned already. */
    private boolean resolvesByRegistry(String image) {
      return spec.rollout.imageResolution == ImageResolution.Registry
          && ImageReference.tryParse(image).map(r -> !r.isDigestPinned()).orElse(false);
    }

    /** Whether a rollout's target is spec.image: as written, or pinned to the digest the registry gave. */
    private boolean rollsSpecImage(String target) {
      return spec.image.equals(target) || !spec.image.contains("@") && target.startsWith(spec.image + "@")
          && ImageReference.isDigest(target.substring(spec.image.length() + 1));
    }

    /**
     * With imageResolution Registry, says so when the known-good tag names other bits now than
     * the digest a revert restores; nothing otherwise (Pods mode asks no registry), and nothing
     * when the registry cannot tell (the revert does not wait for it).
     */
    private String tagMovedNote(String pinned) {
      if (pinned == null || spec.rollout.imageResolution != ImageResolution.Registry
          || !resolvesByRegistry(s.lastKnownGood.image)) {
        return "";
      }
      Resolution now = in.registry().resolve(s.lastKnownGood.image);
      if (now instanceof Resolution.Resolved r && !r.digest().equals(s.lastKnownGood.digest)) {
        String note = "; " + s.lastKnownGood.image + " now names " + r.digest() + ", the revert restores "
            + s.lastKnownGood.digest + ", the bits that ran when it was known good";
        event(false, KNOWN_GOOD_TAG_MOVED, "Reverting to " + pinned + ": " + s.lastKnownGood.image + " now names "
            + r.digest() + ", not the known-good " + s.lastKnownGood.digest);
        return note;
      }
      return "";
    }

    private Duration timeout() {
      return Duration.ofSeconds(spec.rollout.timeoutSeconds);
    }

    /**
     * Time until the next deadline (no progress for timeoutSeconds, or maxDurationSeconds), at
     * least a second so that a deadline just passed is judged next time.
     */
    private Duration timeLeft(Instant started) {
      Instant due = progressClock(started).plus(timeout());
      if (spec.rollout.maxDurationSeconds != null && started.plusSeconds(spec.rollout.maxDurationSeconds).isBefore(due)) {
        due = started.plusSeconds(spec.rollout.maxDurationSeconds);
      }
      return atLeastASecond(Duration.between(now, due));
    }

    private static Duration atLeastASecond(Duration d) {
      return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /** Ten hex digits of the SHA-256 of {@code text}. */
    private static String key(String text) {
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash).substring(0, 10);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private String countsText() {
      return "api " + s.api.available + "/" + apiReplicas() + " available (" + s.api.updated + " updated), worker "
          + s.worker.available + "/" + spec.worker.replicas + " available (" + s.worker.updated + " updated)";
    }

    /**
     * How many api pods the tier should have: spec.api.replicas, or under autoscaling what the
     * HPA last set on the Deployment (at least minReplicas until the Deployment exists).
     */
    private int apiReplicas() {
      if (spec.api.autoscaling == null) {
        return spec.api.replicas;
      }
      return seen.api().verdict() == RolloutVerdict.Missing ? spec.api.autoscaling.minReplicas
          : seen.api().counts().replicas;
    }

    private String notReadyText() {
      return seen.dependencies().stream().filter(d -> !d.ready())
          .map(d -> "StatefulSet " + d.name() + " " + d.detail()).collect(Collectors.joining("; "));
    }

    /**
     * lastKnownGood.image pinned to lastKnownGood.digest ({@code <repository>@<digest>}), or null
     * when there is no digest (or status holds something that is not one: then the tag, as before).
     */
    private String pinnedKnownGood() {
      LastKnownGood good = s.lastKnownGood;
      if (good == null || !ImageReference.isDigest(good.digest)
          || spec.rollout.imageResolution == ImageResolution.None) {
        return null;
      }
      return ImageReference.tryParse(good.image).map(r -> r.withDigest(good.digest).toString()).orElse(null);
    }
  }
}
