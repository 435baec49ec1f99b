package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.image.ImageReference;
import java.util.Optional;

/**
 * States with nothing in flight: {@link RolloutState#Steady} (keep both tiers on status.image),
 * {@link RolloutState#Blocked} (spec.image is the failed image: touch nothing) and
 * {@link RolloutState#Paused}.
 */
final class SteadyStates {
    private SteadyStates() {}

    static Decision paused(DecisionContext ctx) {
        // A revert or a migration in flight keeps its phase, so that resuming finishes it rather
        // than mistaking its target for a new rollout. (A running migration Job is not stopped:
        // a migration is not something to interrupt half-way. Its result is read on resume.)
        if (ctx.status.phase != Phase.RollingBack
                && ctx.status.phase != Phase.Migrating
                && ctx.status.phase != Phase.BackingUp
                && ctx.status.phase != Phase.Restoring) {
            ctx.status.phase = Phase.Paused;
        }
        ctx.condition(PROGRESSING, "Unknown", PAUSED, PAUSED_MESSAGE);
        if (!PAUSED.equals(ctx.previousProgressingReason)) {
            String onTheWay = ctx.status.targetImage != null ? text(PAUSED_ON_THE_WAY, ctx.status.targetImage) : "";
            ctx.event(false, PAUSED, text(PAUSED_EVENT, onTheWay));
        }
        return ctx.decision(Optional.empty(), Optional.empty(), PAUSED);
    }

    static Decision steady(DecisionContext ctx) {
        if (ctx.previousPhase == Phase.Paused) {
            ctx.event(false, RESUMED, RESUMED_MESSAGE);
        }
        Starting.forgetResolution(ctx);
        String keep = steadyReference(ctx);
        // not complete while an owned object (the Service, say) is missing or stale because its write was refused
        boolean complete = ctx.seen.bothCompleteOn(keep) && !ctx.writeRefused();
        ctx.status.phase = complete ? Phase.Available : Phase.Progressing;
        var progressing = Conditions.find(ctx.status.conditions, PROGRESSING);
        boolean justSucceeded = complete
                && progressing != null
                && "False".equals(progressing.getStatus())
                && (ROLLOUT_SUCCEEDED.equals(progressing.getReason())
                        || ROLLOUT_SUCCEEDED_LATE.equals(progressing.getReason()));
        if (!justSucceeded) {
            // (the success's own wording is as true as Steady's: rewriting it would be a write with
            // nothing new, one per rollout, on the next event of any kind)
            ctx.condition(
                    PROGRESSING,
                    !complete,
                    complete ? STEADY : ROLLOUT_IN_PROGRESS,
                    text(complete ? STEADY_MESSAGE : STEADY_IN_PROGRESS_MESSAGE, ctx.status.image));
        }
        if (complete) {
            ctx.degraded(false, AS_EXPECTED, text(STEADY_MESSAGE, ctx.status.image));
        }
        return ctx.decision(Optional.of(keep), Optional.empty(), STEADY);
    }

    /**
     * How the Deployments should name {@code status.image} in the steady state. After a rollout
     * they carry it as spec.image named it; after a revert, pinned to lastKnownGood.digest. Both
     * are that image, and switching between them would restart every pod for nothing, or worse,
     * run whatever a moved tag now points at. So: the tag while both tiers carry the tag, else
     * (reverted, drifted, deleted, or a superseded rollout half-way) the known-good digest of
     * that image when there is one.
     */
    static String steadyReference(DecisionContext ctx) {
        String pinned = ctx.pinnedKnownGood();
        String api = ctx.seen.api().image();
        if (api != null
                && api.equals(ctx.seen.worker().image())
                && (api.equals(ctx.status.image)
                        || pinned != null
                                && ctx.status.image.equals(ctx.status.lastKnownGood.image)
                                && (api.equals(pinned)
                                        || api.equals(ImageReference.pin(
                                                ctx.status.image, ctx.status.lastKnownGood.digest))))) {
            return api;
        }
        if (pinned == null || !ctx.status.image.equals(ctx.status.lastKnownGood.image)) {
            return ctx.status.image;
        }
        // drifted, deleted or half-way: the known-good bits, named the way this mode names them
        return ctx.resolvesByRegistry(ctx.status.image)
                ? ImageReference.pin(ctx.status.image, ctx.status.lastKnownGood.digest)
                : pinned;
    }

    static Decision blocked(DecisionContext ctx) {
        Starting.forgetResolution(ctx);
        if (ctx.status.phase == null
                || ctx.status.phase == Phase.Paused
                || ctx.status.phase == Phase.WaitingForDependencies) {
            ctx.status.phase = Phase.Failed;
        }
        String running = ctx.seen.api().image();
        if (ctx.status.phase == Phase.Failed
                && running != null
                && ctx.rollsSpecImage(running)
                && ctx.seen.bothCompleteOn(running)
                && ctx.status.api.available >= ctx.apiReplicas()
                && ctx.status.worker.available >= ctx.spec.worker.replicas) {
            // nothing was reverted and the failed image's pods came up after all, at the spec's scale
            // (not tiers stopped by a failed restore): late success. (After a revert the tiers run the
            // known-good image, so this never re-rolls a failed image.)
            return Endings.succeed(ctx, running, true);
        }
        var progressing = Conditions.find(ctx.status.conditions, PROGRESSING);
        if (progressing == null || !"False".equals(progressing.getStatus())) {
            // (the failure's own words, written when it happened, stay: they are as true and say more)
            ctx.condition(
                    PROGRESSING,
                    false,
                    FAILED_IMAGE_NOT_RETRIED,
                    text(FAILED_IMAGE_NOT_RETRIED_MESSAGE, ctx.spec.image, ctx.status.failedImage.reason));
        }
        return ctx.decision(Optional.empty(), Optional.empty(), FAILED_IMAGE_NOT_RETRIED);
    }
}
