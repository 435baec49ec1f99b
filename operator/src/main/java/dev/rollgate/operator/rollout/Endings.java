package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.AfterBreakingFailure;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.HistoryEntry.Result;
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
 * How a rollout ends, each through {@link #finish}: success (also late, after it was judged
 * failed), the revert done (RolledBack), the revert failed, failure held (no earlier image,
 * onFailure Hold, a Breaking migration), and a gate Job that failed. Each sets the phase, clears
 * the target, appends history and writes Progressing, Degraded and an Event, and a milestone
 * (none for a late success). A failure with a revert is not an ending: {@code fail} starts the
 * revert, which ends later. A failed restore is not a rollout's ending either (no history entry;
 * the tiers stay at 0), so {@code RestoreStates} writes it itself.
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
                ? ImageReference.tryParse(target)
                        .flatMap(ImageReference::digest)
                        .orElse(null)
                : RunningDigest.of(target, ctx.seen).orElse(null);
        String image = ctx.spec.image; // the name people know: target may be it pinned by the registry
        ctx.status.image = image;
        ctx.status.lastKnownGood = new LastKnownGood(image, digest, Times.format(ctx.now));
        if (ctx.status.failedImage != null && image.equals(ctx.status.failedImage.image)) {
            ctx.status.failedImage = null;
        }
        String reason = late ? ROLLOUT_SUCCEEDED_LATE : ROLLOUT_SUCCEEDED;
        HistoryEntry entry = new HistoryEntry(
                image,
                Result.Succeeded,
                ctx.status.rolloutStartedAt,
                Times.format(ctx.now),
                late ? text(ROLLOUT_SUCCEEDED_LATE_HISTORY, lateReason) : reason);
        entry.digest = digest;
        String why = text(STEADY_MESSAGE, target);
        RolloutEvent event = new RolloutEvent(
                false,
                reason,
                late
                        ? text(ROLLOUT_SUCCEEDED_LATE_MESSAGE, target, lateReason, ctx.countsText())
                        : text(ROLLOUT_SUCCEEDED_MESSAGE, target, ctx.countsText()));
        return finish(
                ctx,
                new Ending(
                        Phase.Available,
                        entry,
                        reason,
                        late ? text(ROLLOUT_SUCCEEDED_LATE_CONDITION, target, lateReason) : why,
                        AS_EXPECTED,
                        why,
                        event,
                        late ? null : new Milestone(Kind.SUCCEEDED, Duration.between(started, ctx.now)),
                        Optional.of(target)));
    }

    /** The revert is complete: both tiers run the known-good image; the failure stays on record. */
    static Decision rolledBack(DecisionContext ctx, String target, Instant started) {
        FailedImage failed = ctx.status.failedImage;
        String why = text(ROLLED_BACK_MESSAGE, failed.image, failed.reason, target);
        HistoryEntry entry = new HistoryEntry(
                failed.image, Result.RolledBack, ctx.status.rolloutStartedAt, Times.format(ctx.now), failed.reason);
        return finish(
                ctx,
                new Ending(
                        Phase.RolledBack,
                        entry,
                        ROLLED_BACK,
                        why,
                        ROLLED_BACK,
                        why,
                        new RolloutEvent(true, ROLLED_BACK, why),
                        new Milestone(Kind.REVERTED, Duration.between(started, ctx.now)),
                        Optional.of(target)));
    }

    /** The revert itself failed: Rollgate stops and leaves both tiers as they are. */
    static Decision revertFailed(DecisionContext ctx, String target, Failure failure) {
        String failed = ctx.status.failedImage == null ? null : ctx.status.failedImage.image;
        String why = text(REVERT_FAILED_MESSAGE, target, failure.message());
        HistoryEntry entry = new HistoryEntry(
                failed,
                Result.Failed,
                ctx.status.rolloutStartedAt,
                Times.format(ctx.now),
                text(REVERT_FAILED_HISTORY, failure.reason()));
        return finish(
                ctx,
                new Ending(
                        Phase.Failed,
                        entry,
                        REVERT_FAILED,
                        why,
                        REVERT_FAILED,
                        why,
                        new RolloutEvent(true, REVERT_FAILED, why),
                        Milestone.of(Kind.FAILED),
                        Optional.empty()));
    }

    /**
     * What an ending writes. The Event's severity says whether the ending leaves the resource
     * Degraded (with {@code degradedReason}); the decision's reason is the Event's.
     *
     * @param reason and {@code message}: the Progressing condition, False from now on
     * @param milestone what the metrics count, null for nothing
     * @param apply the image both tiers keep, empty to touch no Deployment
     */
    record Ending(
            Phase phase,
            HistoryEntry history,
            String reason,
            String message,
            String degradedReason,
            String degradedMessage,
            RolloutEvent event,
            Milestone milestone,
            Optional<String> apply) {}

    /**
     * Ends the rollout (or its revert) in one way for every ending: the phase; no target, revert
     * clock or progress left; the history entry; Progressing False and Degraded; the Event; the
     * milestone.
     */
    static Decision finish(DecisionContext ctx, Ending end) {
        ctx.status.phase = end.phase();
        ctx.status.targetImage = null;
        ctx.status.revertStartedAt = null;
        ctx.status.progress = null;
        ctx.record(end.history());
        ctx.condition(PROGRESSING, false, end.reason(), end.message());
        ctx.degraded(end.event().warning(), end.degradedReason(), end.degradedMessage());
        ctx.events.add(end.event());
        if (end.milestone() != null) {
            ctx.milestones.add(end.milestone());
        }
        return ctx.decision(end.apply(), Optional.empty(), end.event().reason());
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
        return m != null
                && m.result == MigrationStatus.Result.Succeeded
                && target.equals(m.image)
                && m.compatibility == Compatibility.Breaking
                && (ctx.spec.migration == null || ctx.spec.migration.afterFailure != AfterBreakingFailure.RevertImage);
    }

    static Decision fail(DecisionContext ctx, String target, Failure failure) {
        rememberFailure(ctx, failure.reason(), failure.message());
        String good = ctx.status.lastKnownGood == null ? null : ctx.status.lastKnownGood.image;
        boolean held = heldForSchema(ctx, target);
        // an abort asks for the known-good image back, whatever onFailure says (but not onto a Breaking schema)
        boolean revert = (ctx.spec.rollout.onFailure == OnFailure.Revert || ABORTED.equals(failure.reason()))
                && good != null
                && !good.equals(ctx.spec.image)
                && !held;
        if (revert) {
            // Back to the bits that passed the gate, not to whatever the tag names today.
            String pinned = ctx.pinnedKnownGood();
            String back = pinned == null ? good : pinned;
            ctx.status.phase = Phase.RollingBack;
            ctx.status.targetImage = back;
            ctx.status.revertStartedAt = Times.format(ctx.now);
            ctx.status.progress = new RolloutProgress(null, Times.format(ctx.now));
            String why = text(
                    ROLLOUT_FAILED_REVERTING_MESSAGE,
                    target,
                    failure.message(),
                    back,
                    RollingOut.tagMovedNote(ctx, pinned));
            ctx.condition(PROGRESSING, true, REVERT_IN_PROGRESS, why);
            ctx.degraded(true, failure.reason(), why);
            ctx.event(true, ROLLOUT_FAILED, why);
            ctx.milestones.add(Milestone.of(Kind.REVERT_ISSUED));
            return ctx.decision(Optional.of(back), Optional.of(ctx.timeout()), ROLLOUT_FAILED);
        }
        String tail = good == null
                ? NOTHING_TO_REVERT_TO
                : held ? text(HELD_AFTER_BREAKING_MIGRATION_TAIL, ctx.status.migration.job, good) : ON_FAILURE_HOLD;
        String why = text(ROLLOUT_FAILED_MESSAGE, target, failure.message(), tail);
        KnownGoodBackup backup = ctx.status.lastKnownGood == null ? null : ctx.status.lastKnownGood.backup;
        if (held
                && good != null
                && backup != null
                && ctx.status.migration.backup != null
                && backup.id.equals(ctx.status.migration.backup.id)) {
            ctx.condition(
                    RESTORE_AVAILABLE,
                    true,
                    BACKUP_TAKEN,
                    text(
                            BACKUP_TAKEN_MESSAGE,
                            ctx.in.name(),
                            backup.id,
                            backup.id,
                            backup.takenAt,
                            backup.beforeMigration,
                            good,
                            ctx.spec.image));
        } else if (held && good != null) {
            ctx.condition(
                    RESTORE_AVAILABLE,
                    false,
                    NO_BACKUP,
                    text(
                            NO_BACKUP_MESSAGE,
                            ctx.status.migration.job,
                            ctx.status.migration.startedAt,
                            good,
                            ctx.spec.image));
        }
        HistoryEntry entry = new HistoryEntry(
                ctx.spec.image, Result.Failed, ctx.status.rolloutStartedAt, Times.format(ctx.now), failure.reason());
        return finish(
                ctx,
                new Ending(
                        Phase.Failed,
                        entry,
                        held && good != null ? HELD_AFTER_BREAKING_MIGRATION : ROLLOUT_FAILED,
                        why,
                        failure.reason(),
                        why,
                        new RolloutEvent(true, ROLLOUT_FAILED, why),
                        Milestone.of(Kind.FAILED),
                        Optional.empty()));
    }

    /** A Job before the tiers (backup, migration) failed: the rollout fails with nothing to revert. */
    static Decision gateFailed(DecisionContext ctx, String what, String reason, String message) {
        rememberFailure(ctx, reason, message);
        String why = text(
                GATE_FAILED_MESSAGE,
                what,
                message,
                ctx.status.image == null ? NOTHING_INSTALLED : text(BOTH_RUN, ctx.status.image));
        HistoryEntry entry = new HistoryEntry(
                ctx.spec.image, Result.Failed, ctx.status.rolloutStartedAt, Times.format(ctx.now), reason);
        return finish(
                ctx,
                new Ending(
                        Phase.Failed,
                        entry,
                        reason,
                        why,
                        reason,
                        why,
                        new RolloutEvent(true, reason, why),
                        Milestone.of(Kind.FAILED),
                        Optional.empty()));
    }
}
