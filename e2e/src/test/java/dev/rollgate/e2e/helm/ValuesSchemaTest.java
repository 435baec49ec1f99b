package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.CLINIC;
import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each chart's values.schema.json turns a bad value into a render error that names the field,
 * before anything reaches the cluster.
 */
class ValuesSchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                // chart, values, what the error must mention
                Arguments.of(OPERATOR, Map.of("replicaCount", 0), "replicaCount"),
                Arguments.of(OPERATOR, Map.of("replicaCount", "two"), "replicaCount"),
                Arguments.of(OPERATOR, Map.of("image", Map.of("pullPolicy", "Sometimes")), "pullPolicy"),
                Arguments.of(OPERATOR, Map.of("image", Map.of("repository", "")), "repository"),
                Arguments.of(OPERATOR, Map.of("image", Map.of("tag", 1.1)), "tag"),
                Arguments.of(OPERATOR, Map.of("leaderElection", "yes"), "leaderElection"),
                Arguments.of(OPERATOR, Map.of("resources", "big"), "resources"),
                Arguments.of(OPERATOR, Map.of("resources", Map.of("limits", Map.of("memory", "lots"))), "memory"),
                Arguments.of(OPERATOR, Map.of("replicas", 2), "replicas"),
                Arguments.of(OPERATOR, Map.of("metrics", Map.of("service", Map.of("port", 0))), "port"),
                Arguments.of(OPERATOR, Map.of("networkPolicy", Map.of("enabled", "yes")), "enabled"),
                Arguments.of(OPERATOR, Map.of("networkPolicy", Map.of("egress", List.of("api-server"))), "egress"),
                Arguments.of(
                        OPERATOR, Map.of("rbac", Map.of("aggregateToDefaultRoles", "yes")), "aggregateToDefaultRoles"),
                Arguments.of(OPERATOR, Map.of("rbac", Map.of("aggregateToView", true)), "aggregateToView"),
                Arguments.of(
                        OPERATOR, Map.of("monitoring", Map.of("serviceMonitor", Map.of("enabled", "true"))), "enabled"),
                Arguments.of(
                        OPERATOR,
                        Map.of("monitoring", Map.of("serviceMonitor", Map.of("interval", "30 seconds"))),
                        "interval"),
                Arguments.of(
                        OPERATOR,
                        Map.of("monitoring", Map.of("serviceMonitor", Map.of("labels", Map.of("tier", 1)))),
                        "tier"),
                Arguments.of(
                        OPERATOR,
                        Map.of("monitoring", Map.of("prometheusRule", Map.of("stalledFor", "10"))),
                        "stalledFor"),
                Arguments.of(
                        OPERATOR,
                        Map.of("monitoring", Map.of("prometheusRule", Map.of("revertWindow", "10min"))),
                        "revertWindow"),
                Arguments.of(OPERATOR, Map.of("monitoring", Map.of("prometheusRule", Map.of("for", "5m"))), "for"),
                Arguments.of(OPERATOR, Map.of("monitoring", Map.of("grafanaDashboard", Map.of())), "grafanaDashboard"),
                Arguments.of(OPERATOR, Map.of("apiVersions", List.of("ServiceMonitor")), "apiVersions"),
                Arguments.of(CLINIC, Map.of("clinic", Map.of("image", "Clinic:Latest")), "image"),
                Arguments.of(CLINIC, Map.of("clinic", Map.of("api", Map.of("replicas", -1))), "replicas"),
                Arguments.of(CLINIC, Map.of("clinic", Map.of("rollout", Map.of("onFailure", "Retry"))), "onFailure"),
                Arguments.of(
                        CLINIC, Map.of("clinic", Map.of("rollout", Map.of("timeoutSeconds", 0))), "timeoutSeconds"),
                Arguments.of(
                        CLINIC, Map.of("clinic", Map.of("rollout", Map.of("minReadySeconds", 300))), "minReadySeconds"),
                Arguments.of(
                        CLINIC,
                        Map.of("clinic", Map.of("probes", Map.of("readiness", Map.of("path", "ready")))),
                        "path"),
                Arguments.of(CLINIC, Map.of("postgres", Map.of("storage", Map.of("size", "big"))), "size"),
                Arguments.of(CLINIC, Map.of("database", "clinic"), "database"));
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @MethodSource("badValues")
    void renderFailsNamingTheField(String chart, Map<String, ?> values, String field) {
        Map<String, ?> withPassword = CLINIC.equals(chart) ? Charts.withPostgresPassword(values, "test") : values;

        assertThatThrownBy(() -> Charts.template(chart, "release", "default", withPassword))
                .hasMessageContaining(field);
    }
}
