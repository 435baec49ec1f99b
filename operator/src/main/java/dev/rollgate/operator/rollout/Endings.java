package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.AfterBreakingFailure;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.KnownGoodBackup;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.OnFailure;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.image.ImageReference;
import dev.rollgate.operator.rollout.DeadlineJudge.Failure;
import dev.rollgate.operator.rollout.Milestone.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How a rollout ends: success (also late, after it was judged failed), failure with a revert,
 * failure held (no earlier image, onFailure Hold, a Breaking migration), and a gate Job that
 * failed. Each sets the phase, clears the target, appends history and writes Progressing,
 * Degraded, an Event and a milestone.
 */
final class Endings {
  private Endings() {}

  /**
   * Both tiers complete on {@code target}, spec.image as named or pinned. {@code late}: after the
   * rollout had been judged failed with nothing reverted (first install, onFailure Hold), its
   * pods came up anyway; the application is fine, so the status says so.
   */
  static Decision succeed(DecisionContext ctx, String target, boolean late) {
    Instant started = ctx.status.rolloutStartedAt == null ? ctx.now : Times.parse(ctx.status.rolloutStartedAt);
    String lateReason = late && ctx.status.failedImage != null ? ctx.status.failedImage.reason : null;
    // Known-good is what the gated pods ran: their digest, read now, while they are the ones
    // that passed; none rather than a guess when they do not all say the same.
    String digest = ctx.spec.rollout.imageResolution == ImageResolution.None
        ? ImageReference.tryParse(target).flatMap(ImageReference::digest).orElse(null)
        : RunningDigest.of(target, ctx.seen).orElse(null);
    String image = ctx.spec.image;   // the name people know: target may be it pinned by the registry
    ctx.status.image = image;
    ctx.status.lastKnownGood = new LastKnownGood(image, digest, Times.format(ctx.now));
    ctx.status.targetImage = null;
    ctx.status.progress = null;
    ctx.status.phase = Phase.Available;
    if (ctx.status.failedImage != null && image.equals(ctx.status.failedImage.image)) {
      ctx.status.failedImage = null;
    }
    String reason = late ? ROLLOUT_SUCCEEDED_LATE : ROLLOUT_SUCCEEDED;
    HistoryEntry entry = new HistoryEntry(image, Result.Succeeded, ctx.status.rolloutStartedAt, Times.format(ctx.now),
        late ? ROLLOUT_SUCCEEDED_LATE + ": complete after it was judged failed (" + lateReason + ")" : reason);
    entry.digest = digest;
    ctx.record(entry);
    String why = "Both tiers run " + target;
    ctx.condition(PROGRESSING, false, reason, late ? why + ", complete after the rollout was judged failed ("
        + lateReason + ")" : why);
    ctx.degraded(false, AS_EXPECTED, why);
    ctx.event(false, reason, late
        ? "Rollout to " + target + " completed after it was judged failed (" + lateReason + "): " + ctx.countsText()
        : "Rollout to " + target + " succeeded: " + ctx.countsText());
    if (!late) {
      ctx.milestones.add(new Milestone(Kind.SUCCEEDED, Duration.between(started, ctx.now)));
    }
    return ctx.decision(Optional.of(target), Optional.empty(), reason);
  }

  static void rememberFailure(DecisionContext ctx, String reason, String message) {
    FailedImage f = new FailedImage();
    f.image = ctx.spec.image;
    f.reason = reason;
    f.message = message;
    f.at = Times.format(ctx.now);
    f.generation = ctx.in.generation();
    f.retryToken = ctx.in.retryToken();
    ctx.status.failedImage = f;
  }

  /** Whether this rollout ran a Breaking migration and the spec says to hold after it fails. */
  static boolean heldForSchema(DecisionContext ctx, String target) {
    MigrationStatus m = ctx.status.migration;
    return m != null && m.result == MigrationStatus.Result.Succeeded && target.equals(m.image)
        && m.compatibility == Compatibility.Breaking
        && (ctx.spec.migration == null || ctx.spec.migration.afterFailure != AfterBreakingFailure.RevertImage);
  }

  static Decision fail(DecisionContext ctx, String target, Failure failure) {
    rememberFailure(ctx, failure.reason(), failure.message());
    String good = ctx.status.lastKnownGood == null ? null : ctx.status.lastKnownGood.image;
    boolean held = heldForSchema(ctx, target);
    // an abort asks for the known-good image back, whatever onFailure says (but not onto a Breaking schema)
    boolean revert = (ctx.spec.rollout.onFailure == OnFailure.Revert || ABORTED.equals(failure.reason())) && good != null
        && !good.equals(ctx.spec.image) && !held;
    if (revert) {
      // Back to the bits that passed the gate, not to whatever the tag names today.
      String pinned = ctx.pinnedKnownGood();
      String back = pinned == null ? good : pinned;
      ctx.status.phase = Phase.RollingBack;
      ctx.status.targetImage = back;
      ctx.status.revertStartedAt = Times.format(ctx.now);
      ctx.status.progress = new RolloutProgress(null, Times.format(ctx.now));
      String why = "Rollout to " + target + " failed: " + failure.message() + "; reverting both tiers to " + back
          + RollingOut.tagMovedNote(ctx, pinned);
      ctx.condition(PROGRESSING, true, REVERT_IN_PROGRESS, why);
      ctx.degraded(true, failure.reason(), why);
      ctx.event(true, ROLLOUT_FAILED, why);
      ctx.milestones.add(Milestone.of(Kind.REVERT_ISSUED));
      return ctx.decision(Optional.of(back), Optional.of(ctx.timeout()), ROLLOUT_FAILED);
    }
    ctx.status.phase = Phase.Failed;
    ctx.status.targetImage = null;
    ctx.status.progress = null;
    String tail = good == null ? "there is no earlier image to revert to (first install)"
        : held ? "its migration (Job " + ctx.status.migration.job + ") was Breaking, so " + good + " may not work on the "
            + "migrated schema: both tiers are left as they are (see the RestoreAvailable condition)"
        : "onFailure is Hold: both tiers are left as they are";
    String why = "Rollout to " + target + " failed: " + failure.message() + "; " + tail;
    ctx.record(new HistoryEntry(ctx.spec.image, Result.Failed, ctx.status.rolloutStartedAt, Times.format(ctx.now), failure.reason()));
    KnownGoodBackup backup = ctx.status.lastKnownGood == null ? null : ctx.status.lastKnownGood.backup;
    if (held && good != null && backup != null && ctx.status.migration.backup != null
        && backup.id.equals(ctx.status.migration.backup.id)) {
      ctx.condition(RESTORE_AVAILABLE, true, BACKUP_TAKEN, "kubectl annotate apideployment " + ctx.in.name() + " "
          + "rollgate.dev/restore=" + backup.id + " restores the database from backup " + backup.id + " (taken "
          + backup.takenAt + ", before migration Job " + backup.beforeMigration + "; every write after it is lost), "
          + "with both tiers scaled to 0, then reverts both tiers to " + good + "; to try " + ctx.spec.image
          + " again instead, bump the rollgate.dev/retry annotation");
    } else if (held && good != null) {
      ctx.condition(RESTORE_AVAILABLE, false, NO_BACKUP, "No backup was taken before migration Job "
          + ctx.status.migration.job + " (started " + ctx.status.migration.startedAt + "): to go back, restore the database to its "
          + "state before then, then set spec.image to " + good + "; to try " + ctx.spec.image
          + " again, bump the rollgate.dev/retry annotation");
    }
    ctx.condition(PROGRESSING, false, held && good != null ? HELD_AFTER_BREAKING_MIGRATION : ROLLOUT_FAILED, why);
    ctx.degraded(true, failure.reason(), why);
    ctx.event(true, ROLLOUT_FAILED, why);
    ctx.milestones.add(Milestone.of(Kind.FAILED));
    return ctx.decision(Optional.empty(), Optional.empty(), ROLLOUT_FAILED);
  }

  /** A Job before the tiers (backup, migration) failed: the rollout fails with nothing to revert. */
  static Decision gateFailed(DecisionContext ctx, String what, String reason, String message) {
    rememberFailure(ctx, reason, message);
    ctx.status.phase = Phase.Failed;
    ctx.status.targetImage = null;
    ctx.status.progress = null;
    String why = what + " failed: " + message + "; neither tier was changed ("
        + (ctx.status.image == null ? "nothing was installed" : "both run " + ctx.status.image) + ")";
    ctx.record(new HistoryEntry(ctx.spec.image, Result.Failed, ctx.status.rolloutStartedAt, Times.format(ctx.now), reason));
    ctx.condition(PROGRESSING, false, reason, why);
    ctx.degraded(true, reason, why);
    ctx.event(true, reason, why);
    ctx.milestones.add(Milestone.of(Kind.FAILED));
    return ctx.decision(Optional.empty(), Optional.empty(), reason);
  }
}
