package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static dev.rollgate.e2e.helm.OperatorChart.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator chart's Prometheus Operator objects: a ServiceMonitor and a PrometheusRule, each
 * rendered only when enabled and the cluster serves its kind. helm-java's template cannot pass
 * {@code --api-versions} and knows only the built-in APIs, so "the cluster serves it" is said
 * through the chart's {@code apiVersions} value, which the templates read together with
 * {@code .Capabilities.APIVersions}. The rules are checked as Prometheus loads them, PromQL parser
 * included ({@link PromRules}).
 */
class MonitoringChartTest {
    private static final String RELEASE = "rollgate";
    private static final String NAMESPACE = "rollgate-system";
    private static final String FULLNAME = "rollgate-rollgate-operator";
    private static final String SERVICE_MONITOR = "monitoring.coreos.com/v1/ServiceMonitor";
    private static final String PROMETHEUS_RULE = "monitoring.coreos.com/v1/PrometheusRule";
    private static final ObjectMapper YAML = new YAMLMapper();
    private static PromRules promRules;

    @Test
    void nothingIsRenderedByDefaultEvenWhereTheCrdsAre() {
        assertThat(monitoringObjects(render(Map.of()))).isEmpty();
        assertThat(monitoringObjects(render(Map.of("apiVersions", List.of(SERVICE_MONITOR, PROMETHEUS_RULE)))))
                .isEmpty();
    }

    @Test
    void nothingIsRenderedWhenEnabledOnAClusterWithoutTheCrds() {
        assertThat(monitoringObjects(render(bothEnabled(Map.of())))).isEmpty();
    }

    @Test
    void eachObjectNeedsItsOwnKindServed() {
        assertThat(monitoringObjects(render(bothEnabled(Map.of("apiVersions", List.of(SERVICE_MONITOR))))))
                .containsExactly("ServiceMonitor/" + FULLNAME);
        assertThat(monitoringObjects(render(bothEnabled(Map.of("apiVersions", List.of(PROMETHEUS_RULE))))))
                .containsExactly("PrometheusRule/" + FULLNAME);
    }

    @Test
    void theServiceMonitorScrapesTheMetricsServiceAtItsPortAndPath() {
        Manifests m = render(bothEnabled(Map.of("apiVersions", List.of(SERVICE_MONITOR, PROMETHEUS_RULE))));
        JsonNode monitor = m.single("ServiceMonitor");
        JsonNode service = m.get("Service", FULLNAME + "-metrics");
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);

        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.path("metadata").path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(texts(monitor.path("spec").path("namespaceSelector").path("matchNames")))
                .containsExactly(NAMESPACE);
        // its selector picks the metrics Service and no other Service of the release
        Map<String, String> selector =
                strings(monitor.path("spec").path("selector").path("matchLabels"));
        assertThat(selector).isNotEmpty();
        assertThat(m.ofKind("Service"))
                .filteredOn(s ->
                        strings(s.path("metadata").path("labels")).entrySet().containsAll(selector.entrySet()))
                .containsExactly(service);
        assertThat(monitor.path("spec").path("endpoints")).hasSize(1);
        assertThat(endpoint.path("port").asText())
                .isEqualTo(
                        service.path("spec").path("ports").get(0).path("name").asText());
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("honorLabels").asBoolean()).isTrue();
        assertThat(endpoint.has("interval"))
                .as("Prometheus' own interval unless set")
                .isFalse();
    }

    @Test
    void intervalAndLabelsComeFromValues() {
        Manifests m = render(Map.of(
                "apiVersions", List.of(SERVICE_MONITOR, PROMETHEUS_RULE),
                "monitoring",
                        Map.of(
                                "serviceMonitor",
                                        Map.of("enabled", true, "interval", "30s", "labels", Map.of("release", "prom")),
                                "prometheusRule",
                                        Map.of(
                                                "enabled",
                                                true,
                                                "labels",
                                                Map.of("release", "prom", "team", "platform")))));

        JsonNode monitor = m.single("ServiceMonitor");
        assertThat(monitor.path("spec")
                        .path("endpoints")
                        .get(0)
                        .path("interval")
                        .asText())
                .isEqualTo("30s");
        assertThat(monitor.path("metadata").path("labels").path("release").asText())
                .isEqualTo("prom");
        assertThat(monitor.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/name")
                        .asText())
                .isEqualTo(OPERATOR);
        JsonNode rule = m.single("PrometheusRule");
        assertThat(rule.path("metadata").path("labels").path("release").asText())
                .isEqualTo("prom");
        assertThat(rule.path("metadata").path("labels").path("team").asText()).isEqualTo("platform");
    }

    @Test
    void aServiceMonitorWithoutTheMetricsServiceFailsTheRender() {
        Map<String, Object> values = new HashMap<>(bothEnabled(Map.of("apiVersions", List.of(SERVICE_MONITOR))));
        values.put("metrics", Map.of("service", Map.of("enabled", false)));

        assertThatThrownBy(() -> render(values)).hasMessageContaining("set metrics.service.enabled");
    }

    @Test
    void thePrometheusRuleAlertsOnRevertsStalledApiDeploymentsAndNoLeader() {
        JsonNode rules = ruleGroup(render(bothEnabled(Map.of("apiVersions", List.of(PROMETHEUS_RULE)))));

        assertThat(alerts(rules))
                .containsExactly(
                        List.of(
                                "RollgateRolloutReverted",
                                "increase(rollgate_rollouts_reverted_total[10m]) > 0",
                                "0m",
                                "warning"),
                        List.of(
                                "RollgateApiDeploymentStalled",
                                "max by (namespace, name, reason) (rollgate_apideployment_stalled) == 1",
                                "10m",
                                "warning"),
                        List.of(
                                "RollgateOperatorNotLeading",
                                "(sum(rollgate_leader) or vector(0)) < 1",
                                "5m",
                                "critical"));
        for (JsonNode rule : rules) {
            assertThat(rule.path("annotations").path("summary").asText())
                    .as("summary of %s", rule.path("alert"))
                    .isNotBlank();
            assertThat(rule.path("annotations").path("description").asText())
                    .as("description of %s", rule.path("alert"))
                    .isNotBlank();
        }
        // Prometheus fills these in per alert: which ApiDeployment, and why
        assertThat(rules.get(1).path("annotations").path("summary").asText())
                .contains("{{ $labels.namespace }}/{{ $labels.name }}")
                .contains("{{ $labels.reason }}");
    }

    @Test
    void theStalledDurationAndTheRevertWindowComeFromValues() {
        JsonNode rules = ruleGroup(render(Map.of(
                "apiVersions",
                List.of(PROMETHEUS_RULE),
                "monitoring",
                Map.of("prometheusRule", Map.of("enabled", true, "stalledFor", "30m", "revertWindow", "1h")))));

        assertThat(rules.get(0).path("expr").asText()).isEqualTo("increase(rollgate_rollouts_reverted_total[1h]) > 0");
        assertThat(rules.get(1).path("for").asText()).isEqualTo("30m");
    }

    @Test
    void prometheusAcceptsTheRules() {
        JsonNode spec = render(bothEnabled(Map.of(
                        "apiVersions",
                        List.of(PROMETHEUS_RULE),
                        "monitoring",
                        Map.of(
                                "prometheusRule",
                                Map.of("enabled", true, "stalledFor", "1h30m", "revertWindow", "15m")))))
                .single("PrometheusRule")
                .path("spec");

        PromRules.Result result = promRules().checkRules(yaml(spec));

        assertThat(result.exitCode()).as("rule check: %s", result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 3 rules found");
    }

    @Test
    void prometheusRejectsABrokenExpression() {
        // the checker's verdict reaches the assertion: the same group with one parenthesis missing fails
        JsonNode spec = render(bothEnabled(Map.of("apiVersions", List.of(PROMETHEUS_RULE))))
                .single("PrometheusRule")
                .path("spec")
                .deepCopy();
        ((ObjectNode) spec.path("groups").get(0).path("rules").get(2))
                .put("expr", "(sum(rollgate_leader) or vector(0) < 1");

        PromRules.Result result = promRules().checkRules(yaml(spec));

        assertThat(result.exitCode()).as("rule check: %s", result.output()).isNotZero();
        assertThat(result.output())
                .contains(
                        "FAILED",
                        "RollgateOperatorNotLeading",
                        "could not parse expression",
                        "unclosed left parenthesis");
    }

    /** Built on first use only, so that the render tests need no Go. */
    private static synchronized PromRules promRules() {
        if (promRules == null) {
            promRules = PromRules.build();
        }
        return promRules;
    }

    private static Manifests render(Map<String, ?> values) {
        return Charts.template(OPERATOR, RELEASE, NAMESPACE, values);
    }

    /** {@code values} with both objects enabled. */
    private static Map<String, Object> bothEnabled(Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.put(
                "monitoring",
                Map.of("serviceMonitor", Map.of("enabled", true), "prometheusRule", Map.of("enabled", true)));
        return all;
    }

    private static List<String> monitoringObjects(Manifests m) {
        return m.names().stream()
                .filter(n -> n.startsWith("ServiceMonitor/") || n.startsWith("PrometheusRule/"))
                .toList();
    }

    /** The PrometheusRule's one group's rules. */
    private static JsonNode ruleGroup(Manifests m) {
        JsonNode groups = m.single("PrometheusRule").path("spec").path("groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).path("name").asText()).isEqualTo("rollgate-operator");
        return groups.get(0).path("rules");
    }

    /** Each alert as (name, expr, for, severity). */
    private static List<List<String>> alerts(JsonNode rules) {
        List<List<String>> out = new ArrayList<>();
        rules.forEach(r -> out.add(List.of(
                r.path("alert").asText(),
                r.path("expr").asText().strip(),
                r.path("for").asText(),
                r.path("labels").path("severity").asText())));
        return out;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
