package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.KnownGoodBackup;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RestoreStatus;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.rollout.Milestone.Kind;
import java.util.Optional;

/**
 * States {@link RolloutState#RestoreAsked} and {@link RolloutState#Restoring}: the
 * rollgate.dev/restore annotation after a rollout held by a Breaking migration. Both tiers go to
 * 0, the restore Job runs, then both tiers revert to the known-good image.
 */
final class RestoreStates {
    private RestoreStates() {}

    /** Null when the backup the annotation names can be restored now; else why not. */
    static String restorable(DecisionContext ctx) {
        String id = ctx.in.restoreRequest();
        KnownGoodBackup backup = ctx.status.lastKnownGood == null ? null : ctx.status.lastKnownGood.backup;
        var available = Conditions.find(ctx.status.conditions, RESTORE_AVAILABLE);
        if (backup == null) {
            return NO_BACKUP_TO_RESTORE;
        }
        if (!id.equals(backup.id)) {
            return text(OTHER_BACKUP, backup.id, id);
        }
        if (ctx.status.phase != Phase.Failed || available == null || !"True".equals(available.getStatus())) {
            return text(NOT_HELD, ctx.status.phase);
        }
        if (ctx.spec.backup == null) {
            return NO_RESTORE_COMMAND;
        }
        return null;
    }

    static void rejectRestore(DecisionContext ctx, String why) {
        RestoreStatus r = new RestoreStatus();
        r.requested = ctx.in.restoreRequest();
        r.result = "Rejected";
        r.message = why;
        r.startedAt = Times.format(ctx.now);
        r.finishedAt = r.startedAt;
        ctx.status.restore = r;
        ctx.event(true, RESTORE_REJECTED, text(RESTORE_REJECTED_MESSAGE, r.requested, why));
    }

    /** Asked for and restorable: first both tiers go to 0, so nothing writes while the data is replaced. */
    static Decision startRestore(DecisionContext ctx) {
        KnownGoodBackup backup = ctx.status.lastKnownGood.backup;
        RestoreStatus r = new RestoreStatus();
        r.requested = ctx.in.restoreRequest();
        r.step = RestoreStatus.Step.ScaleDown;
        r.job = ctx.jobName("restore", backup.id + " " + Times.format(ctx.now));
        r.result = MigrationStatus.Result.Pending.name();
        r.startedAt = Times.format(ctx.now);
        ctx.status.restore = r;
        ctx.status.phase = Phase.Restoring;
        String what = text(
                RESTORE_STARTED_MESSAGE,
                backup.id,
                backup.takenAt,
                backup.takenAt,
                r.job,
                ctx.status.lastKnownGood.image);
        ctx.condition(PROGRESSING, true, RESTORE_STARTED, what);
        ctx.event(true, RESTORE_STARTED, what);
        return restoring(ctx);
    }

    static Decision restoring(DecisionContext ctx) {
        RestoreStatus r = ctx.status.restore;
        KnownGoodBackup backup = ctx.status.lastKnownGood.backup;
        String running = ctx.seen.api().image() != null ? ctx.seen.api().image() : ctx.status.image;
        ctx.stopTiers = true;
        if (r.step == RestoreStatus.Step.ScaleDown) {
            if (ctx.seen.tierPods() != 0) {
                ctx.condition(
                        PROGRESSING,
                        true,
                        RESTORE_IN_PROGRESS,
                        text(RESTORE_SCALING_DOWN_MESSAGE, backup.id, ctx.seen.tierPods()));
                return ctx.decision(Optional.ofNullable(running), Optional.empty(), RESTORE_IN_PROGRESS);
            }
            r.step = RestoreStatus.Step.Restore;
        }
        JobObservation observed = ctx.seen.job(r.job);
        if (observed != null) {
            r.result = MigrationStatus.Result.Running.name();
            if (observed.state() == JobObservation.State.Succeeded) {
                return restored(ctx, backup);
            }
            if (observed.state() == JobObservation.State.Failed) {
                return restoreFailed(ctx, running, observed.message());
            }
        } else if (MigrationStatus.Result.Running.name().equals(r.result)) {
            return restoreFailed(ctx, running, text(RESTORE_JOB_LOST, r.job));
        }
        if (MigrationStatus.Result.Pending.name().equals(r.result)) {
            ctx.job = new JobRun(
                    JobRun.Kind.RESTORE, r.job, ctx.spec.backup == null ? null : ctx.spec.backup.image, backup.id);
        }
        ctx.condition(PROGRESSING, true, RESTORE_IN_PROGRESS, text(RESTORE_RUNNING_MESSAGE, backup.id, r.job));
        return ctx.decision(Optional.ofNullable(running), Optional.empty(), RESTORE_IN_PROGRESS);
    }

    /** The data is back: the tiers go back to the known-good image, as a revert, and come back up. */
    static Decision restored(DecisionContext ctx, KnownGoodBackup backup) {
        RestoreStatus r = ctx.status.restore;
        r.step = RestoreStatus.Step.Revert;
        r.result = MigrationStatus.Result.Succeeded.name();
        r.finishedAt = Times.format(ctx.now);
        String failed = ctx.status.failedImage == null ? ctx.spec.image : ctx.status.failedImage.image;
        String why = text(DATABASE_RESTORED_MESSAGE, backup.id, backup.takenAt, ctx.status.lastKnownGood.image);
        ctx.record(new HistoryEntry(
                failed,
                Result.Restored,
                r.startedAt,
                Times.format(ctx.now),
                text(DATABASE_RESTORED_HISTORY, backup.id, backup.takenAt)));
        ctx.event(true, DATABASE_RESTORED, why);
        ctx.status.conditions.removeIf(c -> RESTORE_AVAILABLE.equals(c.getType()));
        ctx.status.lastKnownGood.backup = null;
        String pinned = ctx.pinnedKnownGood();
        String back = pinned == null ? ctx.status.lastKnownGood.image : pinned;
        ctx.status.phase = Phase.RollingBack;
        ctx.status.targetImage = back;
        ctx.status.revertStartedAt = Times.format(ctx.now);
        ctx.status.progress = new RolloutProgress(null, Times.format(ctx.now));
        ctx.stopTiers = false;
        ctx.condition(PROGRESSING, true, REVERT_IN_PROGRESS, why);
        ctx.milestones.add(Milestone.of(Kind.REVERT_ISSUED));
        return ctx.decision(Optional.of(back), Optional.of(ctx.timeout()), DATABASE_RESTORED);
    }

    static Decision restoreFailed(DecisionContext ctx, String running, String message) {
        RestoreStatus r = ctx.status.restore;
        r.result = MigrationStatus.Result.Failed.name();
        r.message = message;
        r.finishedAt = Times.format(ctx.now);
        ctx.status.phase = Phase.Failed;
        String why = text(RESTORE_FAILED_MESSAGE, r.job, message, ctx.status.lastKnownGood.image);
        ctx.condition(PROGRESSING, false, RESTORE_FAILED, why);
        ctx.condition(RESTORE_AVAILABLE, false, RESTORE_FAILED, text(RESTORE_NOT_AGAIN, r.requested));
        ctx.degraded(true, RESTORE_FAILED, why);
        ctx.event(true, RESTORE_FAILED, why);
        return ctx.decision(Optional.ofNullable(running), Optional.empty(), RESTORE_FAILED);
    }
}
