package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.Phase;
import java.time.Duration;

/**
 * The rollout state machine: a pure function of (spec, status, observations, now). It makes no
 * client calls, keeps nothing between calls, and every path through it has a row in the
 * {@code RolloutDecider*Test} tables.
 *
 * <p>One call: record what was observed (counts, dependencies, Synced), answer a restore request
 * that cannot be honoured, derive the {@link RolloutState} once, let that state's handler decide,
 * then record what the decision means (Available, the kstatus trio) and back off while the API
 * server refuses writes. The states, what status holds in each and where each goes next are
 * documented on {@link RolloutState}.
 */
public final class RolloutDecider {

    /** How many finished rollouts status.history keeps. */
    public static final int HISTORY_LIMIT = 10;

    /** The first wait before asking a registry again; it doubles up to {@link #RESOLUTION_BACKOFF_MAX}. */
    static final Duration RESOLUTION_BACKOFF_MIN = Duration.ofSeconds(5);

    static final Duration RESOLUTION_BACKOFF_MAX = Duration.ofMinutes(5);

    /** How long after the migration Job's own deadline the decider gives up on a Job that never ran. */
    static final Duration MIGRATION_GRACE = Duration.ofSeconds(30);

    public Decision decide(RolloutInput in) {
        DecisionContext ctx = new DecisionContext(in);
        ctx.status.observedGeneration = in.generation();
        StatusRecorders.recordCounts(ctx);
        StatusRecorders.recordDependencies(ctx);
        if (ctx.status.phase != Phase.Restoring && RolloutState.restoreAsked(in, ctx.status)) {
            String notRestorable = RestoreStates.restorable(ctx);
            if (notRestorable != null) {
                RestoreStates.rejectRestore(ctx, notRestorable);
            }
        }
        StatusRecorders.recordSync(ctx);
        Decision d = handle(ctx, RolloutState.of(in, ctx.status));
        if (ctx.status.phase == Phase.Available && ctx.writeRefused()) {
            // both tiers may be complete, but an owned object (the Service, say) is missing or stale
            ctx.status.phase = Phase.Progressing;
        }
        StatusRecorders.recordAvailability(ctx);
        StatusRecorders.recordReadiness(ctx);
        return StatusRecorders.retryingRefusedWrites(ctx, d);
    }

    /** One handler per state. */
    static Decision handle(DecisionContext ctx, RolloutState state) {
        return switch (state) {
            case Paused -> SteadyStates.paused(ctx);
            case Aborting -> RollingOut.abort(ctx);
            case Restoring -> RestoreStates.restoring(ctx);
            case RestoreAsked -> RestoreStates.startRestore(ctx);
            case Reverting -> RollingOut.reverting(ctx);
            case BackingUp -> JobGates.backingUp(ctx);
            case Migrating -> JobGates.migrating(ctx);
            case RollingOut -> RollingOut.rollingOut(ctx);
            case Steady -> SteadyStates.steady(ctx);
            case Blocked -> SteadyStates.blocked(ctx);
            case Starting -> Starting.start(ctx);
        };
    }
}
