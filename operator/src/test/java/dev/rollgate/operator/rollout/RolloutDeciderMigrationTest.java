package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.AfterBreakingFailure;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The migration gate (spec.migration): the Job before either tier changes.
 */
class RolloutDeciderMigrationTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- migration gate (spec.migration)
                new Row(
                        "migration: a new image starts its Job and touches neither tier",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Migrating)
                                .images(V1, V2, V1)
                                .events(Reasons.MIGRATION_STARTED)
                                .startedAt(NOW)
                                .job(V2)
                                .requeue(Duration.ofSeconds(630))),
                new Row(
                        "migration: first install runs it before anything exists",
                        World.spec(V1).migration(Compatibility.Expand).dependency(true),
                        Expect.phase(Phase.Migrating)
                                .images(null, V1, null)
                                .events(Reasons.MIGRATION_STARTED)
                                .job(V1)),
                new Row(
                        "migration: waits for a dependency before the Job is created",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .dependency(false),
                        Expect.phase(Phase.WaitingForDependencies)
                                .images(V1, null, V1)
                                .events(Reasons.WAITING_FOR_DEPENDENCIES)),
                new Row(
                        "migration: asked for, not seen yet: ask again (created only if absent)",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Pending)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Migrating).images(V1, V2, V1).job(V2).requeue(Duration.ofSeconds(530))),
                new Row(
                        "migration: running, the tiers wait and nothing is asked again",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Pending)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(JobObservation.State.Running, false),
                        Expect.phase(Phase.Migrating).images(V1, V2, V1).migration(MigrationStatus.Result.Running)),
                new Row(
                        "migration: completes, then both tiers roll with a fresh progress deadline",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(JobObservation.State.Succeeded, false),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .events(Reasons.MIGRATION_SUCCEEDED)
                                .migration(MigrationStatus.Result.Succeeded)
                                .progressAt(NOW)
                                .requeue(Duration.ofSeconds(300))),
                new Row(
                        "migration: the Job fails, the rollout fails, nothing was rolled so nothing is reverted",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(JobObservation.State.Failed, false),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.MIGRATION_FAILED)
                                .events(Reasons.MIGRATION_FAILED)
                                .history(Result.Failed)
                                .migration(MigrationStatus.Result.Failed)),
                new Row(
                        "migration: the Job passes its deadline: MigrationTimeout",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(JobObservation.State.Failed, true),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.MIGRATION_TIMEOUT)
                                .events(Reasons.MIGRATION_TIMEOUT)
                                .history(Result.Failed)),
                new Row(
                        "migration: a Job that never ran fails at its deadline plus grace",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Pending)
                                .tiers(V1, RolloutVerdict.Complete)
                                .with(w -> w.now = STARTED.plusSeconds(631)),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.MIGRATION_TIMEOUT)
                                .events(Reasons.MIGRATION_TIMEOUT)
                                .history(Result.Failed)),
                new Row(
                        "migration: a Job seen running and then gone is not run twice",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.MIGRATION_JOB_LOST)
                                .events(Reasons.MIGRATION_JOB_LOST)
                                .history(Result.Failed)),
                new Row(
                        "migration: its pod cannot pull the image: fail fast",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(JobObservation.State.Running, false)
                                .podFailure(V2, Reasons.IMAGE_PULL_BACK_OFF),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.IMAGE_PULL_BACK_OFF)
                                .events(Reasons.IMAGE_PULL_BACK_OFF)
                                .history(Result.Failed)),
                new Row(
                        "migration: a failed migration's image is not retried by itself",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Failed, V1, null, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Failed)
                                .failed(V2, Reasons.MIGRATION_FAILED)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Failed).images(V1, null, V1)),
                new Row(
                        "migration: superseded while running: the Job is left to finish, the new image starts its own",
                        World.spec(V3)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(JobObservation.State.Running, false),
                        Expect.phase(Phase.Migrating)
                                .images(V1, V3, V1)
                                .events(Reasons.ROLLOUT_SUPERSEDED, Reasons.MIGRATION_STARTED)
                                .history(Result.Superseded)
                                .job(V3)),
                new Row(
                        "migration: paused while running keeps Migrating and asks for nothing",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .with(w -> w.spec.rollout.paused = true)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(JobObservation.State.Running, false),
                        Expect.phase(Phase.Migrating).images(V1, V2, V1).events(Reasons.PAUSED)),
                new Row(
                        "migration Expand: the rollout after it fails and the image is reverted as usual",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Progressing, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "migration Breaking: the rollout after it fails and both tiers are held, a restore is described",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .status(Phase.Progressing, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)
                                .history(Result.Failed)
                                .condition(Reasons.RESTORE_AVAILABLE, "False", Reasons.NO_BACKUP)
                                .condition(Reasons.PROGRESSING, "False", Reasons.HELD_AFTER_BREAKING_MIGRATION)),
                new Row(
                        "migration Breaking with afterFailure RevertImage: reverted anyway",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .with(w -> w.spec.migration.afterFailure = AfterBreakingFailure.RevertImage)
                                .status(Phase.Progressing, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "migration Breaking: held tiers that come up after all are a late success",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .status(Phase.Failed, V1, null, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                                .failed(V2, Reasons.ROLLOUT_TIMEOUT)
                                .tiers(V2, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .events(Reasons.ROLLOUT_SUCCEEDED_LATE)
                                .history(Result.Succeeded)));
    }
}
