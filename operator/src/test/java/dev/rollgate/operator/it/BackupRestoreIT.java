package dev.rollgate.operator.it;

import static dev.rollgate.operator.it.MigrationSpecs.*;
import static dev.rollgate.operator.it.Scenario.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Reasons;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backup before a Breaking migration and the restore on request, on the real controllers (the
 * Job controller runs the backup, migration and restore Jobs on the simulated nodes): the backup
 * runs first, a failed rollout after the migration is held with a restore on offer, a restore
 * stops both tiers, restores and reverts; a restarted operator finishes each Job once.
 */
class BackupRestoreIT extends OperatorTestBase {

    @BeforeAll
    static void startOperator() throws Exception {
        startSharedOperator("backup-restore");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void aBreakingMigrationIsBackedUpFirstAndARestoreOnRequestStopsBothTiersRestoresAndReverts() {
        try (Scenario s = scenario("migration-restore")) {
            s.create(image("1.0.0"), withBackup(Map.of()));
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(90));

            // the Breaking migration passes, the new pods never get ready: held, with a backup to restore
            s.cr().edit(cr -> {
                cr.getSpec().image = image("2.0.0-unready");
                cr.getSpec().rollout.timeoutSeconds = 10;
                return cr;
            });
            ApiDeploymentStatus held = s.awaitPhase(Phase.Failed, Duration.ofSeconds(90));
            assertThat(held.migration.backup.result).isEqualTo(MigrationStatus.Result.Succeeded);
            String backup = held.lastKnownGood.backup.id;
            assertThat(backup).isEqualTo(held.migration.backup.job);
            var restoreAvailable = StatusConditions.of(held, Reasons.RESTORE_AVAILABLE);
            assertThat(restoreAvailable.getStatus()).isEqualTo("True");
            assertThat(restoreAvailable.getMessage()).contains("rollgate.dev/restore=" + backup);
            Job backupJob = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(s.namespace)
                    .withName(backup)
                    .get();
            assertThat(backupJob
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getEnv())
                    .extracting(EnvVar::getName, EnvVar::getValue)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("ROLLGATE_BACKUP_ID", backup),
                            org.assertj.core.groups.Tuple.tuple("ROLLGATE_BACKUP_ACTION", "backup"));

            // a restore of another backup is refused, with a Warning Event, and nothing changes
            s.annotate("rollgate.dev/restore", "clinic-backup-0000000000");
            ApiDeploymentStatus rejected = s.await(
                    "restore rejected",
                    Duration.ofSeconds(30),
                    st -> st.restore != null && "Rejected".equals(st.restore.result));
            assertThat(rejected.restore.message).contains(backup);
            assertThat(rejected.phase).isEqualTo(Phase.Failed);

            // the restore asked for: tiers to 0, the restore Job, then both tiers back on 1.0.0
            s.annotate("rollgate.dev/restore", backup);
            s.await(
                    "both tiers stopped for the restore",
                    Duration.ofSeconds(30),
                    st -> st.phase == Phase.Restoring
                            && s.deployment("api").getSpec().getReplicas() == 0
                            && s.deployment("worker").getSpec().getReplicas() == 0);
            ApiDeploymentStatus st = s.await(
                    "rolled back after the restore",
                    Duration.ofSeconds(90),
                    x -> x.phase == Phase.RolledBack && image("1.0.0").equals(x.image));
            s.assertBothTiersOn(image("1.0.0"));
            assertThat(s.deployment("api").getSpec().getReplicas()).isEqualTo(2);
            assertThat(st.restore.result).isEqualTo("Succeeded");
            Job restoreJob = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(s.namespace)
                    .withName(st.restore.job)
                    .get();
            assertThat(restoreJob
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getCommand())
                    .containsExactly("restore-it");
            assertThat(st.history).extracting(h -> h.result.name()).containsSubsequence("Restored", "RolledBack");
            assertThat(s.events())
                    .extracting(Event::getReason)
                    .contains(Reasons.RESTORE_REJECTED, Reasons.RESTORE_STARTED, Reasons.DATABASE_RESTORED);
            assertThat(StatusConditions.status(st, Reasons.RESTORE_AVAILABLE)).isNull();
        }
    }

    @Test
    void killedWhileTheBackupRunsAndWhileTheRestoreRunsItFinishesEachOnce() {
        try (Scenario s = scenario("migration-restart-restore")) {
            s.create(image("1.0.0"), withBackup(Map.of("rollgate.dev/kwok-ready-delay", "8s")));
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(90));
            s.cr().edit(cr -> {
                cr.getSpec().image = image("2.0.0-unready");
                cr.getSpec().rollout.timeoutSeconds = 10;
                return cr;
            });
            s.await(
                    "backup Job running",
                    Duration.ofSeconds(30),
                    st -> st.phase == Phase.BackingUp && st.migration.backup.result == MigrationStatus.Result.Running);
            operator.kill();
            operator = startAnotherOperator("backup-restarted");
            ApiDeploymentStatus held = s.awaitPhase(Phase.Failed, Duration.ofSeconds(90));
            String backup = held.lastKnownGood.backup.id;

            s.annotate("rollgate.dev/restore", backup);
            s.await(
                    "restore Job running",
                    Duration.ofSeconds(60),
                    st -> st.phase == Phase.Restoring
                            && st.restore.step == dev.rollgate.operator.api.RestoreStatus.Step.Restore
                            && "Running".equals(st.restore.result));
            operator.kill();
            operator = startAnotherOperator("restore-restarted");
            s.await(
                    "rolled back after the restore",
                    Duration.ofSeconds(90),
                    x -> x.phase == Phase.RolledBack && image("1.0.0").equals(x.image));
            assertThat(jobs(s))
                    .extracting(j -> j.getMetadata().getLabels().get("app.kubernetes.io/component"))
                    .containsExactlyInAnyOrder("migration", "backup", "migration", "restore");
        }
    }
}
