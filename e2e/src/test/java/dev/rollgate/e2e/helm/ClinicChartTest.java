package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.CLINIC;
import static dev.rollgate.e2e.helm.OperatorChart.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The clinic example stack: names as in DESIGN.md, and an ApiDeployment wired to its dependencies. */
class ClinicChartTest {
    private static final String NAMESPACE = "clinic-demo";

    @Test
    void releaseClinicGivesTheNamesOfTheDesign() {
        Manifests m = render(Map.of());

        assertThat(m.names())
                .containsExactlyInAnyOrder(
                        "ApiDeployment/clinic",
                        "StatefulSet/clinic-postgres",
                        "Service/clinic-postgres",
                        "Service/clinic-postgres-hl",
                        "StatefulSet/clinic-cache",
                        "Service/clinic-cache",
                        "Service/clinic-cache-hl",
                        "Secret/clinic-db");
    }

    @Test
    void apiDeploymentDependsOnBothStatefulSetsAndTakesItsEnvironmentFromTheSecret() {
        JsonNode apid = render(Map.of()).single("ApiDeployment");
        JsonNode spec = apid.path("spec");

        assertThat(apid.path("apiVersion").asText()).isEqualTo("rollgate.dev/v1alpha1");
        assertThat(apid.path("metadata").path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(spec.path("image").asText()).isEqualTo("rollgate/clinic:1.0.0");
        assertThat(texts(spec.path("dependencies").path("statefulSets")))
                .containsExactly("clinic-postgres", "clinic-cache");
        assertThat(spec.path("envFrom").get(0).path("secretRef").path("name").asText())
                .isEqualTo("clinic-db");
        assertThat(spec.path("api").path("replicas").asInt()).isEqualTo(2);
        assertThat(spec.path("api").path("port").asInt()).isEqualTo(8080);
        assertThat(spec.path("worker").path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("rollout").path("timeoutSeconds").asInt()).isEqualTo(300);
        assertThat(spec.path("rollout").path("minReadySeconds").asInt()).isEqualTo(10);
        assertThat(spec.path("rollout").path("failFast").asBoolean()).isTrue();
        assertThat(spec.path("rollout").path("onFailure").asText()).isEqualTo("Revert");
        assertThat(spec.has("probes"))
                .as("empty probes keep the CRD's defaults")
                .isFalse();
    }

    @Test
    void noMigrationGateNoBackupByDefault() {
        JsonNode spec = render(Map.of()).single("ApiDeployment").path("spec");

        assertThat(spec.has("migration")).isFalse();
        assertThat(spec.has("backup")).isFalse();
        assertThat(spec.has("env")).isFalse();
    }

    @Test
    void theMigrationGateTurnsMigrateAtStartOffAndBackupsDumpIntoAVolumeKeptOnUninstall() {
        Manifests m = render(Map.of(
                "clinic",
                Map.of(
                        "env", List.of(Map.of("name", "CLINIC_LOG_LEVEL", "value", "DEBUG")),
                        "migration", Map.of("enabled", true, "compatibility", "Breaking"),
                        "backup", Map.of("enabled", true))));
        JsonNode spec = m.single("ApiDeployment").path("spec");

        assertThat(spec.path("migration").path("compatibility").asText()).isEqualTo("Breaking");
        assertThat(spec.path("migration").has("enabled"))
                .as("a chart switch, not a CRD field")
                .isFalse();
        assertThat(spec.path("env").findValuesAsText("name"))
                .containsExactly("CLINIC_LOG_LEVEL", "CLINIC_FLYWAY_MIGRATE_AT_START");
        JsonNode backup = spec.path("backup");
        assertThat(backup.path("image").asText()).isEqualTo("postgres:15");
        assertThat(backup.path("command").get(2).asText()).contains("pg_dump").contains("$ROLLGATE_BACKUP_ID");
        assertThat(backup.path("restoreCommand").get(2).asText())
                .contains("pg_restore")
                .contains("--single-transaction");
        assertThat(backup.path("env").findValuesAsText("name")).contains("PGHOST", "PGPASSWORD");
        assertThat(backup.path("pod")
                        .path("volumes")
                        .get(0)
                        .path("persistentVolumeClaim")
                        .path("claimName")
                        .asText())
                .isEqualTo("clinic-backups");
        JsonNode pvc = m.single("PersistentVolumeClaim");
        assertThat(pvc.path("metadata").path("name").asText()).isEqualTo("clinic-backups");
        assertThat(pvc.path("metadata")
                        .path("annotations")
                        .path("helm.sh/resource-policy")
                        .asText())
                .isEqualTo("keep");
    }

    @Test
    void secretHoldsThePostgresAndTheAppVariables() {
        JsonNode data = render(Map.of()).single("Secret").path("stringData");

        assertThat(data.path("POSTGRES_USER").asText()).isEqualTo("clinic");
        assertThat(data.path("POSTGRES_DB").asText()).isEqualTo("clinic");
        assertThat(data.path("POSTGRES_PASSWORD").asText()).isEqualTo("s3cret-for-tests");
        assertThat(data.path("CLINIC_DB_URL").asText()).isEqualTo("jdbc:postgresql://clinic-postgres:5432/clinic");
        assertThat(data.path("CLINIC_DB_USER").asText()).isEqualTo("clinic");
        assertThat(data.path("CLINIC_DB_PASSWORD").asText()).isEqualTo("s3cret-for-tests");
    }

    @Test
    void namesFollowTheReleaseName() {
        Manifests m = Charts.template(CLINIC, "shop", NAMESPACE, Map.of("postgres", Map.of("password", "x")));
        JsonNode spec = m.single("ApiDeployment").path("spec");

        assertThat(m.single("ApiDeployment").path("metadata").path("name").asText())
                .isEqualTo("shop");
        assertThat(texts(spec.path("dependencies").path("statefulSets")))
                .containsExactly("shop-postgres", "shop-cache");
        assertThat(m.single("Secret").path("stringData").path("CLINIC_DB_URL").asText())
                .isEqualTo("jdbc:postgresql://shop-postgres:5432/clinic");
    }

    @Test
    void valuesSetTheApiDeploymentSpec() {
        JsonNode spec = render(Map.of(
                        "clinic",
                        Map.of(
                                "image", "registry.example.com/clinic:1.4.2",
                                "imagePullSecrets", List.of(Map.of("name", "regcred")),
                                "env", List.of(Map.of("name", "CLINIC_LOG_LEVEL", "value", "DEBUG")),
                                "api",
                                        Map.of(
                                                "replicas",
                                                3,
                                                "port",
                                                9090,
                                                "resources",
                                                Map.of("requests", Map.of("cpu", "200m"))),
                                "worker", Map.of("replicas", 0),
                                "probes", Map.of("readiness", Map.of("path", "/ready", "periodSeconds", 5)),
                                "rollout",
                                        Map.of(
                                                "timeoutSeconds",
                                                120,
                                                "minReadySeconds",
                                                0,
                                                "failFast",
                                                false,
                                                "onFailure",
                                                "Hold",
                                                "paused",
                                                true))))
                .single("ApiDeployment")
                .path("spec");

        assertThat(spec.path("image").asText()).isEqualTo("registry.example.com/clinic:1.4.2");
        assertThat(spec.path("imagePullSecrets").get(0).path("name").asText()).isEqualTo("regcred");
        assertThat(spec.path("env").get(0).path("value").asText()).isEqualTo("DEBUG");
        assertThat(spec.path("api").path("replicas").asInt()).isEqualTo(3);
        assertThat(spec.path("api").path("port").asInt()).isEqualTo(9090);
        assertThat(spec.path("api")
                        .path("resources")
                        .path("requests")
                        .path("cpu")
                        .asText())
                .isEqualTo("200m");
        assertThat(spec.path("worker").path("replicas").isInt()).isTrue();
        assertThat(spec.path("worker").path("replicas").asInt()).isZero();
        assertThat(spec.path("probes").path("readiness").path("path").asText()).isEqualTo("/ready");
        assertThat(spec.path("rollout").path("onFailure").asText()).isEqualTo("Hold");
        assertThat(spec.path("rollout").path("paused").asBoolean()).isTrue();
        assertThat(spec.path("rollout").path("failFast").asBoolean()).isFalse();
    }

    @Test
    void placementPutsEveryPodOfTheReleaseOnTheChosenNodesAndATierOverlayWins() {
        Map<String, Object> toleration =
                Map.of("key", "pool", "operator", "Equal", "value", "clinic", "effect", "NoSchedule");
        Manifests m = render(Map.of(
                "placement", Map.of("nodeSelector", Map.of("pool", "clinic"), "tolerations", List.of(toleration)),
                "clinic",
                        Map.of(
                                "api",
                                        Map.of(
                                                "replicas",
                                                2,
                                                "port",
                                                8080,
                                                "pod",
                                                Map.of(
                                                        "nodeSelector",
                                                        Map.of("pool", "api"),
                                                        "annotations",
                                                        Map.of("team", "care"))),
                                "worker", Map.of("replicas", 1))));
        JsonNode spec = m.single("ApiDeployment").path("spec");

        for (String sts : List.of("clinic-postgres", "clinic-cache")) {
            JsonNode pod =
                    m.get("StatefulSet", sts).path("spec").path("template").path("spec");
            assertThat(pod.path("nodeSelector").path("pool").asText()).as(sts).isEqualTo("clinic");
            assertThat(pod.path("tolerations").get(0).path("key").asText())
                    .as(sts)
                    .isEqualTo("pool");
        }
        assertThat(spec.path("worker")
                        .path("pod")
                        .path("nodeSelector")
                        .path("pool")
                        .asText())
                .isEqualTo("clinic");
        assertThat(spec.path("worker")
                        .path("pod")
                        .path("tolerations")
                        .get(0)
                        .path("value")
                        .asText())
                .isEqualTo("clinic");
        assertThat(spec.path("api")
                        .path("pod")
                        .path("nodeSelector")
                        .path("pool")
                        .asText())
                .isEqualTo("api");
        assertThat(spec.path("api")
                        .path("pod")
                        .path("tolerations")
                        .get(0)
                        .path("value")
                        .asText())
                .isEqualTo("clinic");
        assertThat(spec.path("api").path("pod").path("annotations").path("team").asText())
                .isEqualTo("care");
    }

    @Test
    void withoutPlacementOrOverlayTheTiersHaveNoPodField() {
        JsonNode spec = render(Map.of()).single("ApiDeployment").path("spec");

        assertThat(spec.path("api").has("pod")).isFalse();
        assertThat(spec.path("worker").has("pod")).isFalse();
    }

    /** Release "clinic" with a fixed password (see {@link Charts#withPostgresPassword}). */
    static Manifests render(Map<String, Object> values) {
        return Charts.template(CLINIC, "clinic", NAMESPACE, Charts.withPostgresPassword(values, "s3cret-for-tests"));
    }
}
