package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.ImageResolutionStatus;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.OnFailure;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.image.ImageReference;
import dev.rollgate.operator.image.Resolution;
import dev.rollgate.operator.rollout.Milestone.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 *   <li><b>gate</b> – phase Progressing: both tiers complete on the target, or a failure signal, or the deadline;
 *   <li><b>revert</b> – phase RollingBack: both tiers back on {@code lastKnownGood} (pinned to its digest
 *       when known), or the revert fails;
 *   <li><b>blocked</b> – {@code spec.image} is the remembered failed image: touch nothing.
 * </ul>
 */
public final class RolloutDecider {

  /** How many finished rollouts status.history keeps. */
  public static final int HISTORY_LIMIT = 10;

  /** The first wait before asking a registry again; it doubles up to {@link #RESOLUTION_BACKOFF_MAX}. */
  static final Duration RESOLUTION_BACKOFF_MIN = Duration.ofSeconds(5);
  static final Duration RESOLUTION_BACKOFF_MAX = Duration.ofMinutes(5);

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
      Decision d;
      if (Boolean.TRUE.equals(spec.rollout.paused)) {
        d = paused();
      } else if (s.targetImage != null && s.phase == Phase.RollingBack) {
        d = reverting();
      } else if (s.targetImage != null) {
        d = rollingOut();
      } else if (spec.image.equals(s.image)) {
        d = steady();
      } else if (isBlocked(spec.image)) {
        d = blocked();
      } else {
        d = start();
      }
      recordAvailability();
      return d;
    }

    // ---- states -------------------------------------------------------------------------

    private Decision paused() {
      // A revert in flight keeps its phase, so that resuming finishes the revert rather than
      // mistaking its target for a new rollout.
      if (s.phase != Phase.RollingBack) {
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
      boolean complete = seen.bothCompleteOn(keep);
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
      if (s.phase == Phase.Failed && running != null && rollsSpecImage(running) && seen.bothCompleteOn(running)) {
        // nothing was reverted and the failed image's pods came up after all: late success. (After
        // a revert the tiers run the known-good image, so this never re-rolls a failed image.)
        return succeed(running, true);
      }
      condition(PROGRESSING, false, FAILED_IMAGE_NOT_RETRIED, spec.image + " failed (" + s.failedImage.reason
          + ") and is not rolled again until the spec changes or the " + "rollgate.dev/retry annotation is bumped");
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
      s.progress = new RolloutProgress(null, Times.format(now));
      s.phase = Phase.Progressing;
      String from = s.image == null ? "nothing (first install)" : s.image;
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
      record(new HistoryEntry(target, Result.Superseded, s.rolloutStartedAt, Times.format(now),
          "spec.image changed to " + spec.image));
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

    private Decision fail(String target, Failure failure) {
      FailedImage f = new FailedImage();
      f.image = spec.image;
      f.reason = failure.reason;
      f.message = failure.message;
      f.at = Times.format(now);
      f.generation = in.generation();
      f.retryToken = in.retryToken();
      s.failedImage = f;
      String good = s.lastKnownGood == null ? null : s.lastKnownGood.image;
      boolean revert = spec.rollout.onFailure == OnFailure.Revert && good != null && !good.equals(spec.image);
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
          : "onFailure is Hold: both tiers are left as they are";
      String why = "Rollout to " + target + " failed: " + failure.message + "; " + tail;
      record(new HistoryEntry(spec.image, Result.Failed, s.rolloutStartedAt, Times.format(now), failure.reason));
      condition(PROGRESSING, false, ROLLOUT_FAILED, why);
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
      int desired = spec.api.replicas + spec.worker.replicas;
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
    private void recordAvailability() {
      boolean exists = seen.api().verdict() != RolloutVerdict.Missing
          && seen.worker().verdict() != RolloutVerdict.Missing;
      boolean available = exists && s.api.available >= spec.api.replicas
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
      return new Decision(s, apply, List.copyOf(events), List.copyOf(milestones), requeue, reason);
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
      Duration left = Duration.between(now, due);
      return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    private String countsText() {
      return "api " + s.api.available + "/" + spec.api.replicas + " available (" + s.api.updated + " updated), worker "
          + s.worker.available + "/" + spec.worker.replicas + " available (" + s.worker.updated + " updated)";
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
