package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.OperatorChart.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The clinic stack's dependencies: PostgreSQL and Redis as StatefulSets, the kind Rollgate never touches. */
class ClinicChartStatefulSetsTest {

    @Test
    void postgresIsAStatefulSetWithAClusterIpAndAHeadlessServiceAVolumeAndAReadinessProbe() {
        Manifests m = render(Map.of("postgres", Map.of("storage", Map.of("size", "5Gi", "storageClassName", "fast"))));
        JsonNode sts = m.get("StatefulSet", "clinic-postgres");
        JsonNode container = sts.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        JsonNode claim = sts.path("spec").path("volumeClaimTemplates").get(0).path("spec");

        // clients connect through the ClusterIP Service (kube-proxy); the headless one names the pods
        assertThat(m.get("Service", "clinic-postgres").path("spec").has("clusterIP"))
                .isFalse();
        assertThat(m.get("Service", "clinic-postgres-hl")
                        .path("spec")
                        .path("clusterIP")
                        .asText())
                .isEqualTo("None");
        assertThat(sts.path("spec").path("serviceName").asText()).isEqualTo("clinic-postgres-hl");
        assertThat(container.path("image").asText()).isEqualTo("postgres:15");
        assertThat(container
                        .path("envFrom")
                        .get(0)
                        .path("secretRef")
                        .path("name")
                        .asText())
                .isEqualTo("clinic-db");
        assertThat(texts(container.path("readinessProbe").path("exec").path("command")))
                .anyMatch(c -> c.contains("pg_isready"));
        assertThat(claim.path("resources").path("requests").path("storage").asText())
                .isEqualTo("5Gi");
        assertThat(claim.path("storageClassName").asText()).isEqualTo("fast");
        assertThat(sts.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(m.get("Service", "clinic-postgres").path("spec").path("selector"));
    }

    @Test
    void withoutPersistencePostgresKeepsItsDataInAnEmptyDir() {
        // For clusters without a storage provisioner (the simulated nodes of the e2e cluster): an
        // unbound claim would keep the pod, and so every rollout, waiting for the dependency forever.
        JsonNode spec = render(Map.of("postgres", Map.of("storage", Map.of("persistent", false))))
                .get("StatefulSet", "clinic-postgres")
                .path("spec");

        assertThat(spec.has("volumeClaimTemplates")).isFalse();
        assertThat(spec.path("template")
                        .path("spec")
                        .path("volumes")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("data");
        assertThat(spec.path("template").path("spec").path("volumes").get(0).has("emptyDir"))
                .isTrue();
    }

    @Test
    void cacheIsARedisStatefulSetWithAClusterIpAndAHeadlessServiceAndATcpReadinessProbe() {
        Manifests m = render(Map.of());
        JsonNode sts = m.get("StatefulSet", "clinic-cache");
        JsonNode container = sts.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);

        assertThat(m.get("Service", "clinic-cache").path("spec").has("clusterIP"))
                .isFalse();
        assertThat(m.get("Service", "clinic-cache-hl")
                        .path("spec")
                        .path("clusterIP")
                        .asText())
                .isEqualTo("None");
        assertThat(sts.path("spec").path("serviceName").asText()).isEqualTo("clinic-cache-hl");
        assertThat(container.path("image").asText()).isEqualTo("redis:7");
        assertThat(container
                        .path("readinessProbe")
                        .path("tcpSocket")
                        .path("port")
                        .asText())
                .isEqualTo("redis");
        assertThat(sts.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(m.get("Service", "clinic-cache").path("spec").path("selector"))
                .isNotEqualTo(m.get("StatefulSet", "clinic-postgres")
                        .path("spec")
                        .path("selector")
                        .path("matchLabels"));
    }

    private static Manifests render(Map<String, Object> values) {
        return ClinicChartTest.render(values);
    }
}
