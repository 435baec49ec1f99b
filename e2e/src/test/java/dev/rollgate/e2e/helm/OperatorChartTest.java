package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static dev.rollgate.e2e.helm.OperatorChart.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator chart with its default values: the objects, their labels, the operator's pod. */
class OperatorChartTest {
    @Test
    void rendersTheOperatorObjectsWithDefaultValues() {
        // The CRD is not among them: Helm installs crds/ itself, before and apart from templates (ChartCrdTest).
        Manifests m = render(Map.of());

        assertThat(m.names())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/" + FULLNAME,
                        "ClusterRole/" + FULLNAME,
                        "ClusterRoleBinding/" + FULLNAME,
                        "ClusterRole/" + FULLNAME + "-view",
                        "ClusterRole/" + FULLNAME + "-edit",
                        "Role/" + FULLNAME + "-leader-election",
                        "RoleBinding/" + FULLNAME + "-leader-election",
                        "Deployment/" + FULLNAME,
                        "Service/" + FULLNAME + "-metrics");
    }

    @Test
    void everyObjectCarriesTheRecommendedLabels() {
        for (JsonNode o : render(Map.of()).objects()) {
            JsonNode labels = o.path("metadata").path("labels");
            assertThat(labels.path("app.kubernetes.io/name").asText())
                    .as("%s", o.path("metadata"))
                    .isEqualTo(OPERATOR);
            assertThat(labels.path("app.kubernetes.io/instance").asText()).isEqualTo(RELEASE);
            assertThat(labels.path("app.kubernetes.io/version").asText()).isEqualTo("0.1.0");
            assertThat(labels.path("app.kubernetes.io/managed-by").asText()).isEqualTo("Helm");
            assertThat(labels.path("app.kubernetes.io/part-of").asText()).isEqualTo("rollgate");
        }
    }

    @Test
    void deploymentRunsTheImageOfTheAppVersionAsOneReplicaWithLeaderElection() {
        JsonNode deployment = render(Map.of()).single("Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(container.path("image").asText()).isEqualTo("rollgate/operator:0.1.0");
        assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(container.has("args"))
                .as("the image's entrypoint runs the fast-jar")
                .isFalse();
        assertThat(container.has("command")).isFalse();
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(FULLNAME);
        assertThat(env(container, "ROLLGATE_LEADER_ELECTION").path("value").asText())
                .isEqualTo("true");
        assertThat(env(container, "POD_NAMESPACE")
                        .path("valueFrom")
                        .path("fieldRef")
                        .path("fieldPath")
                        .asText())
                .isEqualTo("metadata.namespace");
        assertThat(env(container, "JAVA_TOOL_OPTIONS").path("value").asText())
                .contains("-Djava.io.tmpdir=/tmp")
                .contains("-XX:+UseSerialGC")
                .contains("-XX:MaxRAMPercentage=60");
        assertThat(env(container, "MALLOC_ARENA_MAX").path("value").asText()).isEqualTo("2");
        assertThat(container.path("ports").get(0).path("name").asText()).isEqualTo("http");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(deployment.path("spec").path("selector").path("matchLabels"))
                .hasSize(2); // name + instance: never changes on upgrade
    }

    @Test
    void deploymentProbesTheOperatorsOwnHealthEndpoints() {
        JsonNode container = operatorContainer(render(Map.of()));

        assertThat(httpGetPath(container, "startupProbe")).isEqualTo("/q/health/started");
        assertThat(httpGetPath(container, "livenessProbe")).isEqualTo("/q/health/live");
        assertThat(httpGetPath(container, "readinessProbe")).isEqualTo("/q/health/ready");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.path(probe).path("httpGet").path("port").asText())
                    .isEqualTo("http");
        }
    }

    @Test
    void deploymentIsNonRootAboveTheHostsIdsWithAReadOnlyRootFilesystemAndAWritableTmp() {
        JsonNode deployment = render(Map.of()).single("Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        JsonNode sc = container.path("securityContext");

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsGroup").asInt()).isEqualTo(10001);
        assertThat(pod.path("securityContext").path("fsGroup").asInt()).isEqualTo(10001);
        assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(sc.path("runAsUser").asInt()).isEqualTo(10001);
        assertThat(sc.path("runAsGroup").asInt()).isEqualTo(10001);
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(texts(sc.path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(sc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.path("volumeMounts").get(0).path("mountPath").asText())
                .isEqualTo("/tmp");
        assertThat(pod.path("volumes").get(0).has("emptyDir")).isTrue();
    }

    @Test
    void deploymentHasRequestsAndLimits() {
        JsonNode resources = operatorContainer(render(Map.of())).path("resources");

        assertThat(resources.path("requests").path("cpu").asText()).isEqualTo("100m");
        assertThat(resources.path("requests").path("memory").asText()).isEqualTo("320Mi");
        assertThat(resources.path("limits").path("memory").asText()).isEqualTo("512Mi");
        assertThat(resources.path("limits").path("cpu").asText()).isEqualTo("2");
    }
}
