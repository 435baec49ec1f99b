package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.ImageResolutionStatus;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.image.ImageReference;
import dev.rollgate.operator.image.Resolution;
import dev.rollgate.operator.rollout.Milestone.Kind;
import java.time.Duration;
import java.util.Optional;

/**
 * State {@link RolloutState#Starting}: a new spec.image. Waits for dependencies, resolves the
 * image by the registry when asked to, snapshots lastKnownGood and begins the backup, the
 * migration or the tiers; also what happens when a rollout in flight is superseded.
 */
final class Starting {
    private Starting() {}

    static Decision start(DecisionContext ctx) {
        if (!ctx.seen.dependenciesReady()) {
            return hold(ctx, WAITING_FOR_DEPENDENCIES);
        }
        String target = ctx.spec.image;
        String resolved = "";
        if (ctx.resolvesByRegistry(ctx.spec.image)) {
            ImageResolutionStatus waiting = ctx.status.imageResolution;
            if (waiting != null
                    && ctx.spec.image.equals(waiting.image)
                    && waiting.retryAt != null
                    && ctx.now.isBefore(Times.parse(waiting.retryAt))) {
                // asked not long ago: nothing new to say until the backoff is over
                var why = Conditions.find(ctx.status.conditions, IMAGE_RESOLVED);
                return ctx.decision(
                        Optional.empty(),
                        Optional.of(Duration.between(ctx.now, Times.parse(waiting.retryAt))),
                        why == null ? IMAGE_RESOLVED : why.getReason());
            }
            Resolution answer = ctx.in.registry().resolve(ctx.spec.image);
            if (answer instanceof Resolution.Unresolved u) {
                return unresolved(ctx, u);
            }
            String digest = ((Resolution.Resolved) answer).digest();
            target = ImageReference.pin(ctx.spec.image, digest);
            resolved = text(RESOLVED_NOTE, digest);
            ctx.condition(IMAGE_RESOLVED, true, RESOLVED, text(RESOLVED_MESSAGE, ctx.spec.image, digest, target));
        }
        ctx.status.imageResolution = null;
        // The snapshot: where a revert goes back to, recorded before any Deployment changes.
        if (ctx.status.image != null
                && (ctx.status.lastKnownGood == null || !ctx.status.image.equals(ctx.status.lastKnownGood.image))) {
            // Only the reference can tell the digest here: the pods running now may have been
            // started after the gate passed, and a tag can have moved in between.
            String digest = ImageReference.tryParse(ctx.status.image)
                    .flatMap(ImageReference::digest)
                    .orElse(null);
            ctx.status.lastKnownGood = new LastKnownGood(ctx.status.image, digest, Times.format(ctx.now));
        }
        ctx.status.targetImage = target;
        ctx.status.rolloutStartedAt = Times.format(ctx.now);
        ctx.status.revertStartedAt = null;
        ctx.status.conditions.removeIf(c -> RESTORE_AVAILABLE.equals(c.getType()));
        String from = ctx.status.image == null ? FIRST_INSTALL : ctx.status.image;
        if (ctx.spec.migration != null) {
            if (ctx.spec.migration.compatibility == Compatibility.Breaking
                    && ctx.spec.backup != null
                    && ctx.status.image != null) {
                return JobGates.beginBackup(ctx, target, from, resolved);
            }
            return JobGates.beginMigration(ctx, target, from, resolved);
        }
        ctx.status.progress = new RolloutProgress(null, Times.format(ctx.now));
        ctx.status.phase = Phase.Progressing;
        String what = text(ROLLOUT_STARTED_MESSAGE, from, ctx.spec.image, resolved);
        ctx.condition(PROGRESSING, true, ROLLOUT_STARTED, what);
        ctx.event(false, ROLLOUT_STARTED, what);
        ctx.milestones.add(Milestone.of(Kind.STARTED));
        return ctx.decision(Optional.of(target), Optional.of(ctx.timeout()), ROLLOUT_STARTED);
    }

    /**
     * The registry gave no digest: nothing starts, phase Pending, the registry's words in the
     * ImageResolved condition (and an Event when they change), and the next attempt after a
     * wait that doubles with each failure.
     */
    static Decision unresolved(DecisionContext ctx, Resolution.Unresolved u) {
        ImageResolutionStatus before = ctx.status.imageResolution;
        int failures = before != null && ctx.spec.image.equals(before.image) && before.failures != null
                ? before.failures + 1
                : 1;
        Duration wait = RolloutDecider.RESOLUTION_BACKOFF_MIN.multipliedBy(1L << Math.min(failures - 1, 16));
        if (wait.compareTo(RolloutDecider.RESOLUTION_BACKOFF_MAX) > 0) {
            wait = RolloutDecider.RESOLUTION_BACKOFF_MAX;
        }
        ctx.status.imageResolution =
                new ImageResolutionStatus(ctx.spec.image, failures, Times.format(ctx.now.plus(wait)));
        ctx.status.phase = Phase.Pending;
        var previous = Conditions.find(ctx.status.conditions, IMAGE_RESOLVED);
        boolean news = previous == null
                || !"False".equals(previous.getStatus())
                || !u.message().equals(previous.getMessage());
        ctx.condition(IMAGE_RESOLVED, false, u.reason(), u.message());
        ctx.condition(
                PROGRESSING,
                false,
                u.reason(),
                text(
                        UNRESOLVED_MESSAGE,
                        ctx.spec.image,
                        failures,
                        failures == 1 ? "attempt" : "attempts",
                        wait.toSeconds(),
                        u.message()));
        if (news) {
            ctx.event(true, u.reason(), text(UNRESOLVED_EVENT, ctx.spec.image, u.message()));
        }
        return ctx.decision(Optional.empty(), Optional.of(wait), u.reason());
    }

    /** A resolution waiting for a spec.image that is no longer due: its record and condition go. */
    static void forgetResolution(DecisionContext ctx) {
        if (ctx.status.imageResolution != null) {
            ctx.status.imageResolution = null;
            ctx.status.conditions.removeIf(c -> IMAGE_RESOLVED.equals(c.getType()) && "False".equals(c.getStatus()));
        }
    }

    static Decision hold(DecisionContext ctx, String reason) {
        ctx.status.phase = Phase.WaitingForDependencies;
        String message = text(WAITING_FOR_DEPENDENCIES_MESSAGE, ctx.spec.image, ctx.notReadyText());
        ctx.condition(PROGRESSING, true, WAITING_FOR_DEPENDENCIES, message);
        if (ctx.previousPhase != Phase.WaitingForDependencies) {
            ctx.event(false, WAITING_FOR_DEPENDENCIES, message);
        }
        return ctx.decision(Optional.empty(), Optional.empty(), reason);
    }

    static Decision supersede(DecisionContext ctx, String target) {
        String note = abandonGate(ctx, text(SUPERSEDED_WHY, ctx.spec.image));
        ctx.record(new HistoryEntry(
                target,
                Result.Superseded,
                ctx.status.rolloutStartedAt,
                Times.format(ctx.now),
                text(SUPERSEDED_HISTORY, ctx.spec.image, note)));
        ctx.event(false, ROLLOUT_SUPERSEDED, text(ROLLOUT_SUPERSEDED_MESSAGE, target, ctx.spec.image));
        ctx.status.targetImage = null;
        ctx.status.rolloutStartedAt = null;
        ctx.status.progress = null;
        if (ctx.spec.image.equals(ctx.status.image)) {
            return SteadyStates.steady(ctx);
        }
        return start(ctx);
    }

    /**
     * A rollout left while its backup or migration Job runs: the Job is not stopped (a migration,
     * or a backup, is not something to interrupt half-way) but marked Abandoned. Returns a note
     * naming the Job, empty when no gate was running.
     */
    static String abandonGate(DecisionContext ctx, String why) {
        if ((ctx.status.phase != Phase.Migrating && ctx.status.phase != Phase.BackingUp)
                || ctx.status.migration == null) {
            return "";
        }
        boolean backingUp = ctx.status.phase == Phase.BackingUp;
        ctx.status.migration.result = MigrationStatus.Result.Abandoned;
        ctx.status.migration.finishedAt = Times.format(ctx.now);
        ctx.status.migration.message = why + (backingUp ? GATE_ABANDONED_NOT_RUN : GATE_ABANDONED_LEFT);
        if (backingUp) {
            ctx.status.migration.backup.result = MigrationStatus.Result.Abandoned;
            ctx.status.migration.backup.finishedAt = Times.format(ctx.now);
        }
        return backingUp
                ? text(BACKUP_LEFT_NOTE, ctx.status.migration.backup.job)
                : text(MIGRATION_LEFT_NOTE, ctx.status.migration.job);
    }
}
