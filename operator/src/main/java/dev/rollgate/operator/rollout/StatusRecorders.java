package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.Phase;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The parts of status that record what is observed rather than decide anything: replica counts,
 * DependenciesReady, Synced, Available, the kstatus trio (Ready, Reconciling, Stalled), and the
 * backoff while the API server refuses writes.
 */
final class StatusRecorders {
    private StatusRecorders() {}

    static void recordCounts(DecisionContext ctx) {
        ctx.status.api = ctx.seen.api().counts();
        ctx.status.worker = ctx.seen.worker().counts();
        int ready = ctx.status.api.ready + ctx.status.worker.ready;
        int desired = ctx.apiReplicas() + ctx.spec.worker.replicas;
        ctx.status.ready = ready + "/" + desired;
    }

    static void recordDependencies(DecisionContext ctx) {
        if (ctx.seen.dependencies().isEmpty()) {
            ctx.condition(DEPENDENCIES_READY, true, NO_DEPENDENCIES, NO_DEPENDENCIES_MESSAGE);
        } else if (ctx.seen.dependenciesReady()) {
            ctx.condition(
                    DEPENDENCIES_READY,
                    true,
                    ALL_DEPENDENCIES_READY,
                    text(
                            ALL_DEPENDENCIES_READY_MESSAGE,
                            ctx.seen.dependencies().stream()
                                    .map(DependencyState::name)
                                    .collect(Collectors.joining(", "))));
        } else {
            ctx.condition(DEPENDENCIES_READY, false, DEPENDENCIES_NOT_READY, ctx.notReadyText());
        }
    }

    /** Synced: how the reconciler's writes of the owned objects went, when it has just tried them. */
    static void recordSync(DecisionContext ctx) {
        ApplyOutcome applied = ctx.in.applied();
        var before = Conditions.find(ctx.status.conditions, SYNCED);
        if (applied == null) {
            if (before != null) {
                // not tried in this pass: what it says stands, of this generation now
                ctx.condition(SYNCED, before.getStatus(), before.getReason(), before.getMessage());
            }
            return;
        }
        if (applied.succeeded()) {
            if (before != null && "False".equals(before.getStatus())) {
                ctx.event(false, APPLIED, APPLIED_AGAIN);
            }
            ctx.condition(SYNCED, true, APPLIED, APPLIED_MESSAGE);
            return;
        }
        if (before == null || !applied.message().equals(before.getMessage())) {
            ctx.event(true, APPLY_FAILED, applied.message());
        }
        ctx.condition(SYNCED, false, APPLY_FAILED, applied.message());
    }

    /**
     * The kstatus trio, from the status just decided: Stalled when nothing moves without a change
     * from outside (a refused write; RolledBack; Failed, held included), Reconciling while the
     * operator works towards spec (rollout, revert, gate, restore, waiting), Ready only when both
     * tiers run spec.image, complete and available. At most one of Stalled and Reconciling is True.
     */
    static void recordReadiness(DecisionContext ctx) {
        var progressing = Conditions.find(ctx.status.conditions, PROGRESSING);
        String reason = progressing == null ? REPLICAS_UNAVAILABLE : progressing.getReason();
        String message = progressing == null ? ctx.countsText() : progressing.getMessage();
        boolean stalled =
                ctx.writeRefused() || ctx.status.phase == Phase.RolledBack || ctx.status.phase == Phase.Failed;
        if (ctx.writeRefused()) {
            var synced = Conditions.find(ctx.status.conditions, SYNCED);
            reason = APPLY_FAILED;
            message = synced.getMessage();
        }
        boolean ready = !stalled
                && ctx.status.targetImage == null
                && ctx.spec.image.equals(ctx.status.image)
                && (ctx.status.phase == Phase.Available || ctx.status.phase == Phase.Paused)
                && Conditions.isTrue(ctx.status.conditions, AVAILABLE);
        boolean reconciling = !stalled && !ready && ctx.status.phase != Phase.Paused;
        if (ready) {
            reason = ROLLED_OUT;
            message = text(ROLLED_OUT_MESSAGE, ctx.status.image, ctx.countsText());
        } else if (ctx.status.phase == Phase.Paused) {
            reason = PAUSED;
        }
        ctx.condition(READY, ready, reason, message);
        ctx.condition(STALLED, stalled, reason, message);
        ctx.condition(RECONCILING, reconciling, reason, message);
    }

    /**
     * While a write is refused, look again with a backoff that doubles: as long again as the
     * refusal has lasted, from 5 s up to 5 min (other events still wake the reconciler sooner).
     */
    static Decision retryingRefusedWrites(DecisionContext ctx, Decision d) {
        if (!ctx.writeRefused()) {
            return d;
        }
        var synced = Conditions.find(ctx.status.conditions, SYNCED);
        Duration lasted = Duration.between(Times.parse(synced.getLastTransitionTime()), ctx.now);
        Duration wait = lasted.compareTo(RolloutDecider.RESOLUTION_BACKOFF_MIN) < 0
                ? RolloutDecider.RESOLUTION_BACKOFF_MIN
                : lasted.compareTo(RolloutDecider.RESOLUTION_BACKOFF_MAX) > 0
                        ? RolloutDecider.RESOLUTION_BACKOFF_MAX
                        : lasted;
        Duration requeue = d.requeueAfter().filter(r -> r.compareTo(wait) < 0).orElse(wait);
        return d.withRequeue(requeue);
    }

    /** Available means both tiers serve with all desired replicas, whichever image they run. */
    static void recordAvailability(DecisionContext ctx) {
        boolean exists = ctx.seen.api().verdict() != RolloutVerdict.Missing
                && ctx.seen.worker().verdict() != RolloutVerdict.Missing;
        boolean available = exists
                && ctx.status.api.available >= ctx.apiReplicas()
                && ctx.status.worker.available >= ctx.spec.worker.replicas;
        ctx.condition(
                AVAILABLE, available, available ? ALL_REPLICAS_AVAILABLE : REPLICAS_UNAVAILABLE, ctx.countsText());
    }
}
