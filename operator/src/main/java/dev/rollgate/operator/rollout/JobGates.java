package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.BackupStatus;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.KnownGoodBackup;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.rollout.Milestone.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * States {@link RolloutState#BackingUp} and {@link RolloutState#Migrating}: the Jobs a rollout
 * waits for before either tier changes (the backup before a Breaking migration, the migration),
 * how they start, and what their success or failure leads to.
 */
final class JobGates {
    private JobGates() {}

    /**
     * Before a Breaking migration: the backup Job (spec.backup) runs; nothing else changes until
     * it completes. Seen once, never asked for again, as the migration.
     */
    static Decision backingUp(DecisionContext ctx) {
        String target = ctx.status.targetImage;
        BackupStatus b = ctx.status.migration.backup;
        if (!ctx.rollsSpecImage(target)) {
            return Starting.supersede(ctx, target);
        }
        JobStep step = new JobStep(
                b.job,
                b.startedAt,
                backupTimeout(ctx),
                new JobRun(JobRun.Kind.BACKUP, b.job, ctx.spec.backup == null ? null : ctx.spec.backup.image, b.id),
                BACKUP_FAILED,
                BACKUP_TIMEOUT,
                BACKUP_JOB_LOST,
                BACKUP_RUNNING);
        return awaitJob(
                ctx,
                step,
                b.result,
                r -> b.result = r,
                () -> backedUp(ctx, target),
                (reason, message) -> backupFailed(ctx, target, reason, message),
                text(BACKUP_RUNNING_MESSAGE, b.job, ctx.spec.image, ctx.stillRunning()));
    }

    /** A Job the rollout waits for before the tiers (the backup, the migration), and its reasons. */
    record JobStep(
            String job,
            String startedAt,
            Duration timeout,
            JobRun run,
            String failed,
            String timedOut,
            String lost,
            String running) {}

    /**
     * Waits for a step's Job: asked for while Pending (created when absent); once seen it is
     * never asked for again, so a Job that disappears fails the rollout instead of running twice.
     * Fails on the Job's failure, on a pod of its image that cannot start (failFast), and at its
     * deadline plus grace (the Job's activeDeadlineSeconds stops it on time; this catches one that
     * never ran at all).
     */
    static Decision awaitJob(
            DecisionContext ctx,
            JobStep step,
            MigrationStatus.Result recorded,
            Consumer<MigrationStatus.Result> mark,
            Supplier<Decision> succeeded,
            BiFunction<String, String, Decision> failed,
            String waiting) {
        JobObservation observed = ctx.seen.job(step.job());
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
            return failed.apply(step.lost(), text(JOB_LOST_MESSAGE, step.job()));
        }
        if (Boolean.TRUE.equals(ctx.spec.rollout.failFast)) {
            for (PodFailure p : ctx.seen.podFailures()) {
                if (p.image().equals(step.run().image())) {
                    return failed.apply(p.reason(), p.describe());
                }
            }
        }
        Instant due = Times.parse(step.startedAt()).plus(step.timeout()).plus(RolloutDecider.MIGRATION_GRACE);
        if (!due.isAfter(ctx.now)) {
            return failed.apply(
                    step.timedOut(),
                    text(JOB_TIMEOUT_MESSAGE, step.job(), step.timeout().toSeconds()));
        }
        if (recorded == MigrationStatus.Result.Pending) {
            ctx.job = step.run();
        }
        ctx.condition(PROGRESSING, true, step.running(), waiting);
        return ctx.decision(
                Optional.empty(),
                Optional.of(DeadlineJudge.atLeastASecond(Duration.between(ctx.now, due))),
                step.running());
    }

    static Decision beginBackup(DecisionContext ctx, String target, String from, String resolved) {
        MigrationStatus m = new MigrationStatus(migrationJobName(ctx, target), target, Compatibility.Breaking, null);
        String id = ctx.jobName("backup", target + " " + ctx.status.rolloutStartedAt);
        m.backup = new BackupStatus(id, id, Times.format(ctx.now));
        return beginGate(
                ctx,
                m,
                Phase.BackingUp,
                new JobRun(JobRun.Kind.BACKUP, id, ctx.spec.backup.image, id),
                BACKUP_STARTED,
                text(BACKUP_STARTED_MESSAGE, id, ctx.spec.image, resolved, m.job, from),
                backupTimeout(ctx));
    }

    /** A rollout starts with a Job before the tiers (backup or migration): recorded, asked for, announced. */
    static Decision beginGate(
            DecisionContext ctx,
            MigrationStatus m,
            Phase phase,
            JobRun run,
            String reason,
            String what,
            Duration timeout) {
        ctx.status.migration = m;
        ctx.status.progress = null;
        ctx.status.phase = phase;
        ctx.job = run;
        ctx.condition(PROGRESSING, true, reason, what);
        ctx.event(false, reason, what);
        ctx.milestones.add(Milestone.of(Kind.STARTED));
        return ctx.decision(Optional.empty(), Optional.of(timeout.plus(RolloutDecider.MIGRATION_GRACE)), reason);
    }

    /** The backup is complete: it belongs to the known-good image; now the migration runs. */
    static Decision backedUp(DecisionContext ctx, String target) {
        MigrationStatus m = ctx.status.migration;
        BackupStatus b = m.backup;
        b.result = MigrationStatus.Result.Succeeded;
        b.finishedAt = Times.format(ctx.now);
        ctx.status.lastKnownGood.backup = new KnownGoodBackup(b.id, b.startedAt, m.job);
        m.startedAt = Times.format(ctx.now);
        ctx.status.phase = Phase.Migrating;
        ctx.job = JobRun.migration(m.job, target);
        String what = text(BACKUP_SUCCEEDED_MESSAGE, b.id, b.startedAt, ctx.spec.image, m.job);
        ctx.condition(PROGRESSING, true, BACKUP_SUCCEEDED, what);
        ctx.event(false, BACKUP_SUCCEEDED, what);
        return ctx.decision(
                Optional.empty(),
                Optional.of(migrationTimeout(ctx).plus(RolloutDecider.MIGRATION_GRACE)),
                BACKUP_SUCCEEDED);
    }

    static Decision backupFailed(DecisionContext ctx, String target, String reason, String message) {
        MigrationStatus m = ctx.status.migration;
        BackupStatus b = m.backup;
        b.result = MigrationStatus.Result.Failed;
        b.finishedAt = Times.format(ctx.now);
        b.message = message;
        m.result = MigrationStatus.Result.Abandoned;
        m.message = MIGRATION_NOT_RUN;
        return Endings.gateFailed(ctx, text(BACKUP_FAILED_WHAT, b.job, target), reason, message);
    }

    static Duration backupTimeout(DecisionContext ctx) {
        return Duration.ofSeconds(ctx.spec.backup != null ? ctx.spec.backup.timeoutSeconds : 600);
    }

    /**
     * The migration gate: the Job named in status runs {@code target}; neither tier changes until
     * it completes. Asked for while Pending (created when absent); once seen it is never asked
     * for again, so a Job that disappears fails the rollout instead of running twice.
     */
    static Decision migrating(DecisionContext ctx) {
        String target = ctx.status.targetImage;
        MigrationStatus m = ctx.status.migration;
        if (!ctx.rollsSpecImage(target)) {
            return Starting.supersede(ctx, target);
        }
        JobStep step = new JobStep(
                m.job,
                m.startedAt,
                migrationTimeout(ctx),
                JobRun.migration(m.job, target),
                MIGRATION_FAILED,
                MIGRATION_TIMEOUT,
                MIGRATION_JOB_LOST,
                MIGRATION_RUNNING);
        return awaitJob(
                ctx,
                step,
                m.result,
                r -> m.result = r,
                () -> migrated(ctx, target),
                (reason, message) -> migrationFailed(ctx, target, reason, message),
                text(MIGRATION_RUNNING_MESSAGE, m.job, target, ctx.stillRunning()));
    }

    static Decision beginMigration(DecisionContext ctx, String target, String from, String resolved) {
        MigrationStatus m = new MigrationStatus(
                migrationJobName(ctx, target), target, ctx.spec.migration.compatibility, Times.format(ctx.now));
        return beginGate(
                ctx,
                m,
                Phase.Migrating,
                JobRun.migration(m.job, target),
                MIGRATION_STARTED,
                text(MIGRATION_STARTED_MESSAGE, ctx.spec.image, resolved, m.job, m.compatibility, from),
                migrationTimeout(ctx));
    }

    /** The migration completed: now the tiers roll, and the progress deadline starts counting. */
    static Decision migrated(DecisionContext ctx, String target) {
        MigrationStatus m = ctx.status.migration;
        m.result = MigrationStatus.Result.Succeeded;
        m.finishedAt = Times.format(ctx.now);
        ctx.status.phase = Phase.Progressing;
        ctx.status.progress = new RolloutProgress(null, Times.format(ctx.now));
        String from = ctx.status.image == null ? FIRST_INSTALL : ctx.status.image;
        String what = text(MIGRATION_SUCCEEDED_MESSAGE, m.job, from, target);
        ctx.condition(PROGRESSING, true, MIGRATION_SUCCEEDED, what);
        ctx.event(false, MIGRATION_SUCCEEDED, what);
        return ctx.decision(Optional.of(target), Optional.of(ctx.timeout()), MIGRATION_SUCCEEDED);
    }

    /** The migration failed or ran out of time: the rollout fails, and since nothing was rolled, nothing is reverted. */
    static Decision migrationFailed(DecisionContext ctx, String target, String reason, String message) {
        MigrationStatus m = ctx.status.migration;
        m.result = MigrationStatus.Result.Failed;
        m.finishedAt = Times.format(ctx.now);
        m.message = message;
        return Endings.gateFailed(ctx, text(MIGRATION_FAILED_WHAT, m.job, target), reason, message);
    }

    static Duration migrationTimeout(DecisionContext ctx) {
        return Duration.ofSeconds(ctx.spec.migration != null ? ctx.spec.migration.timeoutSeconds : 600);
    }

    /**
     * {@code <name>-migrate-<key>}: the key is a hash of the target and the rollout's start, so a
     * restarted operator finds the same Job and a new rollout (or a retry) gets a new one. At most
     * 63 characters, as a Job's name must be to label its pods.
     */
    static String migrationJobName(DecisionContext ctx, String target) {
        return ctx.jobName("migrate", target + " " + ctx.status.rolloutStartedAt);
    }
}
