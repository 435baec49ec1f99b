package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RestoreStatus;
import dev.rollgate.operator.api.TierStatus;
import java.util.stream.Stream;

/**
 * The backup before a Breaking migration, and the restore asked for with rollgate.dev/restore.
 */
class RolloutDeciderBackupRestoreTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- backup before a Breaking migration (spec.backup), restore on request
                new Row(
                        "backup: a Breaking migration with spec.backup starts with the backup Job",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.BackingUp)
                                .images(V1, V2, V1)
                                .events(Reasons.BACKUP_STARTED)
                                .job(PG)
                                .jobKind(JobRun.Kind.BACKUP)),
                new Row(
                        "backup: an Expand migration takes none",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .backup()
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Migrating)
                                .images(V1, V2, V1)
                                .events(Reasons.MIGRATION_STARTED)
                                .job(V2)),
                new Row(
                        "backup: a first install has nothing to back up",
                        World.spec(V1)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .dependency(true),
                        Expect.phase(Phase.Migrating)
                                .images(null, V1, null)
                                .events(Reasons.MIGRATION_STARTED)
                                .job(V1)),
                new Row(
                        "backup: running, nothing else happens",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.BackingUp, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Pending)
                                .backupRecorded(MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(BACKUP_JOB, JobObservation.State.Running, false),
                        Expect.phase(Phase.BackingUp).images(V1, V2, V1)),
                new Row(
                        "backup: complete, it becomes the known-good image's backup, and the migration starts",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.BackingUp, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Pending)
                                .backupRecorded(MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(BACKUP_JOB, JobObservation.State.Succeeded, false),
                        Expect.phase(Phase.Migrating)
                                .images(V1, V2, V1)
                                .events(Reasons.BACKUP_SUCCEEDED)
                                .job(V2)
                                .jobKind(JobRun.Kind.MIGRATION)
                                .knownGoodBackup(BACKUP_JOB)),
                new Row(
                        "backup: failed, the rollout fails with nothing changed and no migration run",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.BackingUp, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Pending)
                                .backupRecorded(MigrationStatus.Result.Running)
                                .tiers(V1, RolloutVerdict.Complete)
                                .job(BACKUP_JOB, JobObservation.State.Failed, false),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.BACKUP_FAILED)
                                .events(Reasons.BACKUP_FAILED)
                                .history(Result.Failed)
                                .migration(MigrationStatus.Result.Abandoned)),
                new Row(
                        "backup: the rollout after the Breaking migration fails: held, and the backup can be restored",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Progressing, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                                .backupRecorded(MigrationStatus.Result.Succeeded)
                                .knownGoodBackup()
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)
                                .history(Result.Failed)
                                .condition(Reasons.RESTORE_AVAILABLE, "True", Reasons.BACKUP_TAKEN)),
                new Row(
                        "restore asked: both tiers go to 0 first, nothing is restored while a pod runs",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Failed, V1, null, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .knownGoodBackup()
                                .restoreAvailable()
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.restoreRequest = BACKUP_JOB),
                        Expect.phase(Phase.Restoring)
                                .apply(V2)
                                .stop()
                                .images(V1, null, V1)
                                .events(Reasons.RESTORE_STARTED)),
                new Row(
                        "restore: no tier pod is left, the restore Job runs",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Restoring, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .knownGoodBackup()
                                .restoring(RestoreStatus.Step.ScaleDown, MigrationStatus.Result.Pending)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.tierPods = 0),
                        Expect.phase(Phase.Restoring)
                                .apply(V2)
                                .stop()
                                .images(V1, null, V1)
                                .job(PG)
                                .jobKind(JobRun.Kind.RESTORE)),
                new Row(
                        "restore: the Job completes, history records it, both tiers revert to the known-good image",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Restoring, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .knownGoodBackup()
                                .restoring(RestoreStatus.Step.Restore, MigrationStatus.Result.Running)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.tierPods = 0)
                                .job(RESTORE_JOB, JobObservation.State.Succeeded, false),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .events(Reasons.DATABASE_RESTORED)
                                .history(Result.Restored)),
                new Row(
                        "restore: the Job fails, the tiers stay at 0 and status says so",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Restoring, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .knownGoodBackup()
                                .restoring(RestoreStatus.Step.Restore, MigrationStatus.Result.Running)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.tierPods = 0)
                                .job(RESTORE_JOB, JobObservation.State.Failed, false),
                        Expect.phase(Phase.Failed)
                                .apply(V2)
                                .stop()
                                .images(V1, null, V1)
                                .events(Reasons.RESTORE_FAILED)
                                .condition(Reasons.DEGRADED, "True", Reasons.RESTORE_FAILED)
                                .condition(Reasons.RESTORE_AVAILABLE, "False", Reasons.RESTORE_FAILED)),
                new Row(
                        "restore failed: tiers stopped at 0 on the held image are no late success",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Failed, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .knownGoodBackup()
                                .restoring(RestoreStatus.Step.Restore, MigrationStatus.Result.Failed)
                                .with(w -> {
                                    w.api = new TierObservation(
                                            V2, RolloutVerdict.Complete, new TierStatus(0, 0, 0, 0), null);
                                    w.worker = new TierObservation(
                                            V2, RolloutVerdict.Complete, new TierStatus(0, 0, 0, 0), null);
                                    w.tierPods = 0;
                                }),
                        Expect.phase(Phase.Failed).images(V1, null, V1)),
                new Row(
                        "restore asked for a backup that is not the known-good one: rejected once, nothing changes",
                        World.spec(V2)
                                .migration(Compatibility.Breaking)
                                .backup()
                                .status(Phase.Failed, V1, null, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Succeeded)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .knownGoodBackup()
                                .restoreAvailable()
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.restoreRequest = "clinic-backup-ffffffffff"),
                        Expect.phase(Phase.Failed).images(V1, null, V1).events(Reasons.RESTORE_REJECTED)),
                new Row(
                        "restore asked with nothing held: rejected once",
                        World.spec(V1)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .with(w -> w.restoreRequest = BACKUP_JOB),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.RESTORE_REJECTED)));
    }
}
