package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.CLINIC;
import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.KubeScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both charts pass kube-score (issue 11's "kube-linter", whose Go module is not served here;
 * kube-score runs the same kinds of checks) with no finding at WARNING or CRITICAL: for the
 * default values of each chart, and for the operator chart with every optional feature on (two
 * replicas, network policy, pull-secret RBAC, shard, metrics, ServiceMonitor and PrometheusRule,
 * scheduling). Probes, security
 * contexts, resources, image pull policy, network policies, disruption budgets, anti-affinity,
 * Service targets.
 *
 * <p>A check that does not fit an object is skipped on that object only, by a
 * {@code kube-score/ignore} annotation in its template with a YAML comment right above it saying
 * why: this test passes no {@code --ignore-test}, and fails on an ignore without its comment.
 * kube-score is the real tool, built from its Go module on first use
 * ({@code e2e/cluster/kube-score.sh}); a hand-written Deployment without any hardening shows that
 * its findings reach the assertion.
 */
class KubeScoreTest {
    /** The cluster's minor version ({@code KUBE_VERSION} of e2e/cluster/versions.env), for the API-version checks. */
    private static final String KUBERNETES_VERSION = "v1.34";

    private static KubeScore kubeScore;

    @BeforeAll
    static void buildKubeScore() {
        kubeScore = KubeScore.build();
    }

    static Stream<Arguments> renderings() {
        Map<String, Object> everyOperatorOption = Map.ofEntries(
                Map.entry(
                        "image",
                        Map.of(
                                "repository",
                                "registry.example.com/rollgate/operator",
                                "tag",
                                "0.1.0",
                                "pullPolicy",
                                "Always")),
                Map.entry("imagePullSecrets", List.of(Map.of("name", "regcred"))),
                Map.entry("replicaCount", 2),
                Map.entry("leaderElection", true),
                Map.entry(
                        "watch",
                        Map.of("namespaces", List.of("team-a", "team-b"), "labelSelector", "rollgate.dev/shard=a")),
                Map.entry("logJson", true),
                Map.entry(
                        "serviceAccount",
                        Map.of("name", "rollgate", "annotations", Map.of("example.com/owner", "platform"))),
                Map.entry(
                        "metrics",
                        Map.of(
                                "service",
                                Map.of(
                                        "enabled",
                                        true,
                                        "port",
                                        9090,
                                        "scrapeAnnotations",
                                        true,
                                        "annotations",
                                        Map.of("example.com/scraped-by", "prometheus")))),
                Map.entry(
                        "networkPolicy",
                        Map.of(
                                "enabled",
                                true,
                                "ingressFrom",
                                List.of(Map.of(
                                        "namespaceSelector",
                                        Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")))),
                                "egress",
                                List.of(Map.of(
                                        "to",
                                        List.of(Map.of("ipBlock", Map.of("cidr", "10.0.0.10/32"))),
                                        "ports",
                                        List.of(Map.of("port", 6443, "protocol", "TCP")))))),
                Map.entry("podAnnotations", Map.of("example.com/team", "platform")),
                Map.entry("podLabels", Map.of("example.com/team", "platform")),
                Map.entry("nodeSelector", Map.of("kubernetes.io/os", "linux")),
                Map.entry(
                        "tolerations",
                        List.of(Map.of("key", "dedicated", "operator", "Exists", "effect", "NoSchedule"))),
                Map.entry(
                        "affinity",
                        Map.of(
                                "nodeAffinity",
                                Map.of(
                                        "requiredDuringSchedulingIgnoredDuringExecution",
                                        Map.of(
                                                "nodeSelectorTerms",
                                                List.of(Map.of(
                                                        "matchExpressions",
                                                        List.of(Map.of(
                                                                "key",
                                                                "kubernetes.io/arch",
                                                                "operator",
                                                                "In",
                                                                "values",
                                                                List.of("amd64"))))))))),
                Map.entry("priorityClassName", "rollgate-critical"),
                Map.entry("rbac", Map.of("aggregateToDefaultRoles", true)),
                Map.entry(
                        "apiVersions",
                        List.of("monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule")),
                Map.entry(
                        "monitoring",
                        Map.of(
                                "serviceMonitor",
                                        Map.of(
                                                "enabled",
                                                true,
                                                "interval",
                                                "30s",
                                                "labels",
                                                Map.of("release", "prometheus")),
                                "prometheusRule", Map.of("enabled", true, "labels", Map.of("release", "prometheus")))),
                Map.entry(
                        "imageResolution",
                        Map.of(
                                "pullSecrets",
                                        Map.of(
                                                "enabled",
                                                true,
                                                "namespaces",
                                                List.of("team-a"),
                                                "secretNames",
                                                List.of("regcred")),
                                "insecureRegistries", List.of("registry.internal:5000"))));
        return Stream.of(
                Arguments.of(OPERATOR, "default values", Map.of()),
                Arguments.of(OPERATOR, "every option on", everyOperatorOption),
                Arguments.of(CLINIC, "default values", Charts.withPostgresPassword(Map.of(), "s3cret-for-tests")));
    }

    @ParameterizedTest(name = "kube-score helm/{0} ({1})")
    @MethodSource("renderings")
    void chartHasNoFindingAtWarningOrCritical(String chart, String what, Map<String, ?> values) {
        String rendered = Charts.render(chart, "rollgate", "rollgate-system", values);

        assertThat(kubeScore.findings(rendered, KUBERNETES_VERSION))
                .as("kube-score findings of helm/%s (%s)", chart, what)
                .isEmpty();
        assertThat(ignoresWithoutAReason(rendered))
                .as("kube-score/ignore annotations of helm/%s without a comment right above them saying why", chart)
                .isEmpty();
    }

    @Test
    void anUnhardenedDeploymentHasFindings() {
        String bare = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: bare, namespace: default}
        spec:
          replicas: 2
          selector: {matchLabels: {app: bare}}
          template:
            metadata: {labels: {app: bare}}
            spec:
              containers: [{name: app, image: "example.com/app:1.0"}]
        """;

        assertThat(kubeScore.findings(bare, KUBERNETES_VERSION))
                .anyMatch(
                        f -> f.startsWith("Deployment/bare container-security-context-readonlyrootfilesystem CRITICAL"))
                .anyMatch(f -> f.startsWith("Deployment/bare container-resources CRITICAL"))
                .anyMatch(f -> f.startsWith("Deployment/bare pod-networkpolicy CRITICAL"));
    }

    /** The {@code kube-score/ignore} lines of a rendering without a YAML comment on the line above. */
    private static List<String> ignoresWithoutAReason(String rendered) {
        List<String> lines = rendered.lines().toList();
        List<String> unexplained = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("kube-score/ignore:")
                    && (i == 0 || !lines.get(i - 1).strip().startsWith("#"))) {
                unexplained.add(lines.get(i).strip());
            }
        }
        return unexplained;
    }
}
