package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.image.Resolution;
import dev.rollgate.operator.rollout.DeadlineJudge.Failure;
import java.time.Instant;
import java.util.Optional;

/**
 * States {@link RolloutState#RollingOut}, {@link RolloutState#Reverting} and
 * {@link RolloutState#Aborting}: both tiers on their way to a target, judged until they complete
 * or fail.
 */
final class RollingOut {
    private RollingOut() {}

    static Decision rollingOut(DecisionContext ctx) {
        String target = ctx.status.targetImage;
        if (!ctx.rollsSpecImage(target)) {
            return Starting.supersede(ctx, target);
        }
        if (!ctx.seen.dependenciesReady()) {
            return Starting.hold(ctx, WAITING_FOR_DEPENDENCIES);
        }
        if (ctx.status.phase == Phase.WaitingForDependencies || ctx.status.phase == Phase.Paused) {
            // the hold (its own phase) has ended: its time does not count against the image
            ctx.status.rolloutStartedAt = DeadlineJudge.discountWait(ctx);
            ctx.status.phase = Phase.Progressing;
            ctx.event(false, RESUMED, text(RESUMED_TO_MESSAGE, target));
        }
        if (ctx.seen.bothCompleteOn(target)) {
            return Endings.succeed(ctx, target, false);
        }
        Instant started = Times.parse(ctx.status.rolloutStartedAt);
        DeadlineJudge.trackProgress(ctx, target, started);
        Failure failure = DeadlineJudge.failureOf(ctx, target, started);
        if (failure != null) {
            return Endings.fail(ctx, target, failure);
        }
        ctx.status.phase = Phase.Progressing;
        ctx.condition(
                PROGRESSING, true, ROLLOUT_IN_PROGRESS, text(ROLLOUT_IN_PROGRESS_MESSAGE, target, ctx.countsText()));
        return ctx.decision(
                Optional.of(target), Optional.of(DeadlineJudge.timeLeft(ctx, started)), ROLLOUT_IN_PROGRESS);
    }

    static Decision reverting(DecisionContext ctx) {
        String target = ctx.status.targetImage;
        String failed = ctx.status.failedImage == null ? null : ctx.status.failedImage.image;
        String good = ctx.status.lastKnownGood == null ? null : ctx.status.lastKnownGood.image;
        // spec.image set to the known-good tag agrees with the revert (the target is its pinned form)
        if (!ctx.spec.image.equals(target) && !ctx.spec.image.equals(failed) && !ctx.spec.image.equals(good)) {
            // A new image replaces the revert: whatever it was, the user has moved on.
            ctx.record(new HistoryEntry(
                    failed,
                    Result.Failed,
                    ctx.status.rolloutStartedAt,
                    Times.format(ctx.now),
                    text(REVERT_INTERRUPTED_HISTORY, target, ctx.spec.image)));
            ctx.status.targetImage = null;
            return Starting.start(ctx);
        }
        Instant started = Times.parse(ctx.status.revertStartedAt);
        if (!ctx.seen.dependenciesReady()) {
            // Not judged while a dependency is down. A revert keeps phase RollingBack while it waits, so
            // the end of the wait is not visible in status: the clock restarts only when the deadline
            // would pass during the wait (not when the wait ends, as a rollout's does).
            if (!DeadlineJudge.progressClock(ctx, started).plus(ctx.timeout()).isAfter(ctx.now)) {
                ctx.status.revertStartedAt = DeadlineJudge.discountWait(ctx);
            }
            return ctx.decision(Optional.of(target), Optional.empty(), WAITING_FOR_DEPENDENCIES);
        }
        if (ctx.seen.bothCompleteOn(target)) {
            return Endings.rolledBack(ctx, target, started);
        }
        DeadlineJudge.trackProgress(ctx, target, started);
        Failure failure = DeadlineJudge.failureOf(ctx, target, started);
        if (failure != null) {
            return Endings.revertFailed(ctx, target, failure);
        }
        ctx.condition(
                PROGRESSING, true, REVERT_IN_PROGRESS, text(REVERT_IN_PROGRESS_MESSAGE, target, ctx.countsText()));
        return ctx.decision(Optional.of(target), Optional.of(DeadlineJudge.timeLeft(ctx, started)), REVERT_IN_PROGRESS);
    }

    /**
     * A new rollgate.dev/abort value: the rollout in flight to spec.image fails with reason
     * Aborted and both tiers go back to the last known-good image, whatever onFailure says (a
     * rollout behind a Breaking migration is held instead, as any failure after one is). A
     * backup or migration Job in flight is left to finish; nothing was rolled, so nothing is
     * reverted. With no rollout in flight the value is recorded, an Event says so, and nothing else changes.
     */
    static Decision abort(DecisionContext ctx) {
        ctx.status.abortHandled = ctx.in.abortRequest();
        String target = ctx.status.targetImage;
        boolean inFlight = target != null
                && ctx.rollsSpecImage(target)
                && (ctx.status.phase == Phase.Progressing
                        || ctx.status.phase == Phase.WaitingForDependencies
                        || ctx.status.phase == Phase.Migrating
                        || ctx.status.phase == Phase.BackingUp);
        if (!inFlight) {
            String revert = ctx.status.phase == Phase.RollingBack ? text(NOTHING_TO_ABORT_REVERT_GOES_ON, target) : "";
            ctx.event(false, NOTHING_TO_ABORT, text(NOTHING_TO_ABORT_MESSAGE, ctx.in.abortRequest(), revert));
            return RolloutDecider.handle(ctx, RolloutState.of(ctx.in, ctx.status));
        }
        String why = text(ABORTED_MESSAGE, ctx.in.abortRequest());
        if (ctx.status.phase == Phase.Migrating || ctx.status.phase == Phase.BackingUp) {
            String note = Starting.abandonGate(ctx, ABORTED_WHY);
            return Endings.gateFailed(ctx, text(ABORTED_WHAT, target), ABORTED, why + note);
        }
        return Endings.fail(ctx, target, new Failure(ABORTED, why));
    }

    /**
     * With imageResolution Registry, says so when the known-good tag names other bits now than
     * the digest a revert restores; nothing otherwise (Pods mode asks no registry), and nothing
     * when the registry cannot tell (the revert does not wait for it).
     */
    static String tagMovedNote(DecisionContext ctx, String pinned) {
        if (pinned == null
                || ctx.spec.rollout.imageResolution != ImageResolution.Registry
                || !ctx.resolvesByRegistry(ctx.status.lastKnownGood.image)) {
            return "";
        }
        Resolution current = ctx.in.registry().resolve(ctx.status.lastKnownGood.image);
        if (current instanceof Resolution.Resolved r && !r.digest().equals(ctx.status.lastKnownGood.digest)) {
            LastKnownGood good = ctx.status.lastKnownGood;
            ctx.event(
                    false,
                    KNOWN_GOOD_TAG_MOVED,
                    text(KNOWN_GOOD_TAG_MOVED_MESSAGE, pinned, good.image, r.digest(), good.digest));
            return text(KNOWN_GOOD_TAG_MOVED_NOTE, good.image, r.digest(), good.digest);
        }
        return "";
    }
}
