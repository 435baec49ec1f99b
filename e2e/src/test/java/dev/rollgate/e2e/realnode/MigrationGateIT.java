package dev.rollgate.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.scenario.EndToEnd;
import dev.rollgate.e2e.scenario.RollgateStack;
import dev.rollgate.testkit.PhaseTimeline;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The migration gate with real pods: clinic's migrate role runs Flyway as a Job against the real
 * PostgreSQL before either tier changes. A release whose migration fails against the live schema
 * fails its rollout with PostgreSQL's words in status and nothing rolled. A Breaking migration
 * is preceded by a backup (pg_dump into a volume); when the tiers then fail, both are held
 * instead of putting the old image back on a schema it may not work on, and a restore asked for
 * by annotation stops both tiers, runs pg_restore and reverts them: the rows written before the
 * backup are back, those written after are gone, as the Event says.
 */
@EndToEnd
class MigrationGateIT extends RealNodeReleases {
    private static final Duration FIRST_INSTALL = Duration.ofMinutes(5);
    private static final Duration ROLLOUT = Duration.ofMinutes(4);

    @Test
    void migrationsRunAsAGateFailedOnesChangeNothingAndABreakingOneHoldsBothTiers(RollgateStack stack) {
        // given the operator, and clinic installed through the gate: the migrate role applies V1 and V2
        stack.installOperatorChart();
        stack.startOperator("migration-gate");
        Instant start = Instant.now();
        stack.provideBackupVolume(node);
        stack.installClinicOnRealNode(node, releases.good(), clinic("Expand", false));
        JsonNode status = stack.app().awaitPhase("Available", releases.good(), FIRST_INSTALL, timeline(stack));
        System.err.printf(
                "[migration-gate] first install through the migration Job: Available after %.1f s%n",
                seconds(start, Instant.now()));
        assertThat(status.path("migration").path("result").asText()).isEqualTo("Succeeded");
        Job first = job(stack, status.path("migration").path("job").asText());
        assertThat(first.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(exitCodes(stack, first)).containsExactly(0);
        ClinicDatabase db = new ClinicDatabase(stack.kubectl(), stack.appNamespace(), "clinic-postgres-0");
        assertThat(db.query("SELECT max(version::int) FROM flyway_schema_history WHERE success"))
                .containsExactly("2");
        String knownGood = stack.app().tierImages().get("clinic-api");
        String knownGoodDigest = status.path("lastKnownGood").path("digest").asText("");
        assertThat(knownGoodDigest).matches("sha256:[a-f0-9]{64}");
        List<String> schemaBefore = db.schema();
        long apiGeneration = generation(stack, "clinic-api");

        // when a release whose migration fails against the live schema is rolled out
        Instant rolled = Instant.now();
        stack.rollOnRealNode(node, releases.badMigration(), clinic("Expand", false));

        // then its migration Job fails for PostgreSQL's reason, the rollout fails, nothing was rolled
        status = stack.app().awaitPhase("Failed", releases.good(), ROLLOUT, timeline(stack));
        System.err.printf(
                "[migration-gate] failing migration -> Failed, tiers untouched: %.1f s after helm upgrade%n",
                seconds(rolled, Instant.now()));
        assertThat(status.path("failedImage").path("image").asText()).isEqualTo(releases.badMigration());
        assertThat(status.path("failedImage").path("reason").asText()).isEqualTo("MigrationFailed");
        assertThat(status.path("migration").path("message").asText())
                .contains("exit code 1")
                .contains("Migration failed")
                .contains("42701");
        assertThat(stack.app().tierImages().values()).containsOnly(knownGood);
        assertThat(generation(stack, "clinic-api"))
                .as("the api Deployment was not changed")
                .isEqualTo(apiGeneration);
        assertThat(db.schema()).isEqualTo(schemaBefore);

        // given a row written while the known-good release serves
        db.query(
                "INSERT INTO patients (name, email, birth_date) VALUES ('Before', 'before@example.com', '1970-01-01')");

        // when a release with a Breaking migration (V3, from a ConfigMap mounted into the Job) is rolled
        // out, whose pods then crash at start (a setting only its migration Job is given)
        ClinicReleases.provideV3Migration(stack.admin(), stack.appNamespace());
        rolled = Instant.now();
        stack.rollOnRealNode(node, releases.crash(), clinic("Breaking", true));

        // then the backup runs (pg_dump), then the migration (V3 applied), the tiers crash-loop, and
        // both are held where they are, with a restore on offer
        status = stack.app()
                .awaitPhase(
                        "Failed",
                        releases.good(),
                        ROLLOUT,
                        timeline(stack),
                        s -> releases.crash()
                                .equals(s.path("failedImage").path("image").asText()));
        System.err.printf(
                "[migration-gate] backup, Breaking migration, crashing pods -> held: %.1f s after helm upgrade%n",
                seconds(rolled, Instant.now()));
        assertThat(status.path("migration").path("backup").path("result").asText())
                .isEqualTo("Succeeded");
        assertThat(status.path("migration").path("result").asText()).isEqualTo("Succeeded");
        assertThat(status.path("failedImage").path("reason").asText()).isEqualTo("CrashLoopBackOff");
        assertThat(db.query("SELECT max(version::int) FROM flyway_schema_history WHERE success"))
                .containsExactly("3");
        String backup = status.path("lastKnownGood").path("backup").path("id").asText();
        String takenAt =
                status.path("lastKnownGood").path("backup").path("takenAt").asText();
        assertThat(backup)
                .isEqualTo(status.path("migration").path("backup").path("id").asText());
        JsonNode restore = condition(status, "RestoreAvailable");
        assertThat(restore.path("status").asText()).isEqualTo("True");
        assertThat(restore.path("message").asText()).contains("rollgate.dev/restore=" + backup);
        assertThat(condition(status, "Progressing").path("reason").asText()).isEqualTo("HeldAfterBreakingMigration");
        assertThat(stack.app().tierImages().get("clinic-api"))
                .as("held on the new release, not reverted")
                .isEqualTo(releases.crash());
        // (the old api pods still serve: a write now is after the backup)
        db.query("INSERT INTO patients (name, email, birth_date) VALUES ('After', 'after@example.com', '1970-01-01')");

        // when the restore is asked for
        Instant asked = Instant.now();
        assertThat(stack.kubectl()
                        .run(
                                "annotate",
                                "-n",
                                stack.appNamespace(),
                                "apideployment",
                                "clinic",
                                "rollgate.dev/restore=" + backup)
                        .succeeded())
                .isTrue();

        // then both tiers stop, pg_restore puts the database back, and both tiers run the known-good bits
        status = stack.app().awaitPhase("RolledBack", releases.good(), ROLLOUT, timeline(stack));
        System.err.printf(
                "[migration-gate] restore asked -> tiers stopped, database restored, reverted: %.1f s%n",
                seconds(asked, Instant.now()));
        // (the known-good bits, pinned to the digest they ran as)
        assertThat(stack.app().tierImages().values()).containsOnly("rollgate/clinic@" + knownGoodDigest);
        assertThat(db.query("SELECT email FROM patients ORDER BY email"))
                .contains("before@example.com")
                .doesNotContain("after@example.com");
        assertThat(db.query("SELECT max(version::int) FROM flyway_schema_history WHERE success"))
                .containsExactly("2");
        assertThat(db.schema()).isEqualTo(schemaBefore);
        List<String> results = new java.util.ArrayList<>();
        status.path("history").forEach(h -> results.add(h.path("result").asText()));
        assertThat(results).containsSubsequence("Restored", "RolledBack");
        assertThat(status.path("restore").path("result").asText()).isEqualTo("Succeeded");
        assertThat(stack.admin()
                        .v1()
                        .events()
                        .inNamespace(stack.appNamespace())
                        .list()
                        .getItems())
                .filteredOn(e -> "DatabaseRestored".equals(e.getReason()))
                .singleElement()
                .satisfies(e ->
                        assertThat(e.getMessage()).contains(backup).contains("writes after " + takenAt + " are lost"));
    }

    private static Map<String, Object> clinic(String compatibility, boolean v3) {
        return ClinicReleases.gatedValues(compatibility, v3, Map.of("minReadySeconds", 2, "timeoutSeconds", 60));
    }

    private static Job job(RollgateStack stack, String name) {
        return stack.admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(stack.appNamespace())
                .withName(name)
                .get();
    }

    private static List<Integer> exitCodes(RollgateStack stack, Job job) {
        return stack
                .admin()
                .pods()
                .inNamespace(stack.appNamespace())
                .withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName())
                .list()
                .getItems()
                .stream()
                .map(Pod::getStatus)
                .flatMap(s -> s.getContainerStatuses().stream())
                .map(cs -> cs.getState().getTerminated().getExitCode())
                .toList();
    }

    private static long generation(RollgateStack stack, String deployment) {
        return stack.admin()
                .apps()
                .deployments()
                .inNamespace(stack.appNamespace())
                .withName(deployment)
                .get()
                .getMetadata()
                .getGeneration();
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        throw new AssertionError("no " + type + " condition in " + status);
    }

    private static PhaseTimeline timeline(RollgateStack stack) {
        return new PhaseTimeline(System.err, "  [migration-gate " + stack.appNamespace() + "] ");
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
