package dev.rollgate.operator.it;

import static dev.rollgate.operator.it.MigrationSpecs.*;
import static dev.rollgate.operator.it.Scenario.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Reasons;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migration gate on the real controllers (the Job controller runs the Jobs; the simulated
 * nodes complete a Job's pod, fail it when its image tag ends in -crashloop, or delay it by the
 * rollgate.dev/kwok-ready-delay annotation): nothing in either tier changes until the rollout's
 * migration Job completes; a failed or timed-out one fails the rollout with nothing to revert; a
 * Breaking one holds both tiers when the rollout after it fails; a restarted operator finishes a
 * migration it did not see end and never runs it twice.
 */
class MigrationIT extends OperatorTestBase {

    @BeforeAll
    static void startOperator() throws Exception {
        startSharedOperator("migration");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void theTiersRollOnlyAfterTheMigrationJobCompleted() {
        try (Scenario s = scenario("migration-gate")) {
            s.create(image("1.0.0"), withMigration(Compatibility.Expand, m -> {}));
            ApiDeploymentStatus first = s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(90));
            assertThat(first.migration.result).isEqualTo(MigrationStatus.Result.Succeeded);
            assertThat(first.migration.image).isEqualTo(image("1.0.0"));

            s.setImage(image("2.0.0"));
            // while the v2 migration runs, both tiers stay on v1 (status is written before any change,
            // so a Migrating status read before and after the Deployments brackets them)
            s.await(
                    "migrating for v2",
                    Duration.ofSeconds(30),
                    st -> st.phase == Phase.Migrating && image("2.0.0").equals(st.targetImage));
            String api = s.tierImage("api");
            String worker = s.tierImage("worker");
            if (s.status().phase == Phase.Migrating) {
                assertThat(List.of(api, worker)).containsOnly(image("1.0.0"));
            }
            ApiDeploymentStatus st = s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(90));
            s.assertBothTiersOn(image("2.0.0"));
            assertThat(st.migration.result).isEqualTo(MigrationStatus.Result.Succeeded);
            assertThat(st.migration.image).isEqualTo(image("2.0.0"));

            // one Job per rollout, named in status, running the new image as the migrate role with the
            // ApiDeployment's env
            List<Job> jobs = jobs(s);
            assertThat(jobs).hasSize(2);
            Job job = jobs.stream()
                    .filter(j -> j.getMetadata().getName().equals(st.migration.job))
                    .findFirst()
                    .orElseThrow();
            var container =
                    job.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getImage()).isEqualTo(image("2.0.0"));
            assertThat(container.getEnv())
                    .extracting(EnvVar::getName, EnvVar::getValue)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("ROLLGATE_ROLE", "migrate"),
                            org.assertj.core.groups.Tuple.tuple("CLINIC_DB_URL", "jdbc:postgresql://db/clinic"));
            assertThat(job.getSpec().getBackoffLimit()).isZero();
            assertThat(job.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getKind()).isEqualTo("ApiDeployment"));
            assertThat(s.events())
                    .extracting(Event::getReason)
                    .contains(Reasons.MIGRATION_STARTED, Reasons.MIGRATION_SUCCEEDED, Reasons.ROLLOUT_SUCCEEDED);
        }
    }

    @Test
    void aFailedMigrationFailsTheRolloutAndChangesNeitherTier() {
        try (Scenario s = scenario("migration-fails")) {
            s.create(image("1.0.0"), withMigration(Compatibility.Expand, m -> {}));
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(90));
            long apiGeneration = s.deployment("api").getMetadata().getGeneration();
            long workerGeneration = s.deployment("worker").getMetadata().getGeneration();

            s.setImage(image("2.0.0-crashloop"));
            ApiDeploymentStatus st = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
            assertThat(st.failedImage.image).isEqualTo(image("2.0.0-crashloop"));
            assertThat(st.failedImage.reason).isEqualTo(Reasons.MIGRATION_FAILED);
            assertThat(st.migration.result).isEqualTo(MigrationStatus.Result.Failed);
            // the Job's words and the container's termination message reach status
            assertThat(st.migration.message)
                    .contains("BackoffLimitExceeded")
                    .contains("exit code 1")
                    .contains("simulated by KWOK");
            assertThat(st.image).isEqualTo(image("1.0.0"));
            assertThat(st.targetImage).isNull();
            s.assertBothTiersOn(image("1.0.0"));
            assertThat(s.deployment("api").getMetadata().getGeneration()).isEqualTo(apiGeneration);
            assertThat(s.deployment("worker").getMetadata().getGeneration()).isEqualTo(workerGeneration);
            assertThat(st.history).last().satisfies(h -> assertThat(h.reason).isEqualTo(Reasons.MIGRATION_FAILED));
            assertThat(s.events()).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo(Reasons.MIGRATION_FAILED);
                assertThat(e.getType()).isEqualTo("Warning");
            });
        }
    }

    @Test
    void aMigrationPastItsTimeoutFailsTheRolloutAndChangesNeitherTier() {
        try (Scenario s = scenario("migration-timeout")) {
            s.create(image("1.0.0"), withMigration(Compatibility.Expand, m -> {}));
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(90));

            // the next release's migration takes a minute; its deadline is 5 s
            s.cr().edit(cr -> {
                cr.getSpec().image = image("2.0.0");
                cr.getSpec().migration.timeoutSeconds = 5;
                cr.getSpec().api.pod = slowPods("60s");
                return cr;
            });
            ApiDeploymentStatus st = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
            assertThat(st.failedImage.reason).isEqualTo(Reasons.MIGRATION_TIMEOUT);
            assertThat(st.migration.message).contains("DeadlineExceeded");
            s.assertBothTiersOn(image("1.0.0"));
        }
    }

    @Test
    void aRolloutThatFailsAfterABreakingMigrationHoldsBothTiers() {
        try (Scenario s = scenario("migration-breaking")) {
            s.create(image("1.0.0"), withMigration(Compatibility.Breaking, m -> {}));
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(90));

            // the migration passes (a Job's pod has no readiness to fail); the new pods never get ready
            s.cr().edit(cr -> {
                cr.getSpec().image = image("2.0.0-unready");
                cr.getSpec().rollout.timeoutSeconds = 10;
                return cr;
            });
            ApiDeploymentStatus st = s.awaitPhase(Phase.Failed, Duration.ofSeconds(90));
            assertThat(st.migration.result).isEqualTo(MigrationStatus.Result.Succeeded);
            assertThat(st.failedImage.image).isEqualTo(image("2.0.0-unready"));
            var restore = StatusConditions.of(st, Reasons.RESTORE_AVAILABLE);
            assertThat(restore.getStatus()).isEqualTo("False");
            assertThat(restore.getReason()).isEqualTo(Reasons.NO_BACKUP);
            assertThat(restore.getMessage()).contains(st.migration.job).contains("spec.image to " + image("1.0.0"));
            assertThat(StatusConditions.of(st, Reasons.PROGRESSING).getReason())
                    .isEqualTo(Reasons.HELD_AFTER_BREAKING_MIGRATION);
            // held: not reverted, then or later
            pause(Duration.ofSeconds(5));
            assertThat(s.status().phase).isEqualTo(Phase.Failed);
            s.assertBothTiersOn(image("2.0.0-unready"));
        }
    }

    @Test
    void killedWhileTheMigrationRunsItFinishesTheRolloutWithoutRunningItTwice() {
        try (Scenario s = scenario("migration-restart")) {
            s.create(image("1.0.0"), withMigration(Compatibility.Expand, m -> {}));
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(90));

            s.cr().edit(cr -> {
                cr.getSpec().image = image("2.0.0");
                cr.getSpec().api.pod = slowPods("8s");
                return cr;
            });
            s.await(
                    "migration Job running",
                    Duration.ofSeconds(30),
                    st -> st.phase == Phase.Migrating && st.migration.result == MigrationStatus.Result.Running);
            operator.kill();
            operator = startAnotherOperator("migration-restarted");

            ApiDeploymentStatus st = s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(90));
            assertThat(st.migration.result).isEqualTo(MigrationStatus.Result.Succeeded);
            assertThat(jobs(s))
                    .extracting(j -> j.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .containsExactlyInAnyOrder(image("1.0.0"), image("2.0.0"));
            s.assertBothTiersOn(image("2.0.0"));
        }
    }
}
