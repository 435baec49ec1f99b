package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static dev.rollgate.e2e.helm.OperatorChart.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The operator's RBAC is least privilege, and "never writes a StatefulSet" is a property of it.
 * The e2e suite proves the same on a real API server; this test pins the rules themselves, and
 * those of the roles the chart adds to Kubernetes' view, edit and admin for people
 * (AggregatedRolesIT proves the aggregation on a real cluster).
 */
class OperatorRbacTest {
    private static final String FULLNAME = "rollgate-rollgate-operator";
    private static final String AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-";
    private static final Manifests RENDERED = Charts.template(OPERATOR, "rollgate", "rollgate-system", Map.of());

    /** One rule flattened, in the order the ClusterRole lists it. */
    record Rule(String apiGroups, String resources, String verbs) {
        static Rule of(JsonNode rule) {
            return new Rule(
                    String.join(",", texts(rule.path("apiGroups"))),
                    String.join(",", texts(rule.path("resources"))),
                    String.join(",", texts(rule.path("verbs"))));
        }
    }

    @Test
    void clusterRoleGrantsExactlyWhatTheOperatorUses() {
        assertThat(rules(operatorRole(RENDERED)))
                .containsExactly(
                        new Rule("rollgate.dev", "apideployments", "get,list,watch"),
                        new Rule("rollgate.dev", "apideployments/status", "get,update,patch"),
                        new Rule("apps", "deployments", "get,list,watch,create,patch,update"),
                        new Rule("", "services", "get,list,watch,create,patch,update"),
                        new Rule(
                                "autoscaling", "horizontalpodautoscalers", "get,list,watch,create,patch,update,delete"),
                        new Rule("policy", "poddisruptionbudgets", "get,list,watch,create,patch,update,delete"),
                        new Rule("", "pods", "get,list,watch"),
                        new Rule("batch", "jobs", "get,list,watch,create,delete"),
                        new Rule("apps", "statefulsets", "get,list,watch"),
                        new Rule("", "events", "create,patch"),
                        new Rule("events.k8s.io", "events", "create,patch"));
    }

    @Test
    void leaderElectionRoleIsNamespacedToTheReleaseAndCoversOnlyLeases() {
        JsonNode role = RENDERED.single("Role");

        assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("rollgate-system");
        assertThat(rules(role))
                .containsExactly(new Rule("coordination.k8s.io", "leases", "get,list,watch,create,update,patch"));
        assertThat(RENDERED.single("RoleBinding").path("roleRef").path("name").asText())
                .isEqualTo(role.path("metadata").path("name").asText());
        assertThat(RENDERED.single("ClusterRoleBinding")
                        .path("roleRef")
                        .path("name")
                        .asText())
                .isEqualTo(FULLNAME);
    }

    @Test
    void viewAndEditOfApiDeploymentsAggregateIntoTheBuiltInRoles() {
        JsonNode view = RENDERED.get("ClusterRole", FULLNAME + "-view");
        JsonNode edit = RENDERED.get("ClusterRole", FULLNAME + "-edit");

        assertThat(rules(view))
                .containsExactly(
                        new Rule("rollgate.dev", "apideployments", "get,list,watch"),
                        new Rule("rollgate.dev", "apideployments/status", "get"));
        assertThat(aggregationLabels(view)).containsExactly(entry(AGGREGATE + "view", "true"));
        // kubectl rollgate's retry, abort, pause and resume are merge patches: "patch" covers them
        assertThat(rules(edit))
                .containsExactly(
                        new Rule(
                                "rollgate.dev",
                                "apideployments",
                                "get,list,watch,create,update,patch,delete,deletecollection"),
                        new Rule("rollgate.dev", "apideployments/status", "get"));
        assertThat(aggregationLabels(edit))
                .containsOnly(entry(AGGREGATE + "edit", "true"), entry(AGGREGATE + "admin", "true"));
        // folded into view/edit/admin by the cluster only; the chart binds them to no one
        assertThat(RENDERED.ofKind("ClusterRoleBinding"))
                .extracting(b -> b.path("roleRef").path("name").asText())
                .containsExactly(FULLNAME);
        assertThat(RENDERED.ofKind("RoleBinding"))
                .extracting(b -> b.path("roleRef").path("name").asText())
                .doesNotContain(FULLNAME + "-view", FULLNAME + "-edit");
    }

    @Test
    void theOperatorsOwnRolesAggregateIntoNothing() {
        assertThat(aggregationLabels(operatorRole(RENDERED))).isEmpty();
        assertThat(aggregationLabels(RENDERED.single("Role"))).isEmpty();
    }

    @Test
    void aggregationCanBeTurnedOffLeavingTheOperatorsRoleAsItWas() {
        Manifests off = Charts.template(
                OPERATOR, "rollgate", "rollgate-system", Map.of("rbac", Map.of("aggregateToDefaultRoles", false)));

        assertThat(off.ofKind("ClusterRole"))
                .extracting(r -> r.path("metadata").path("name").asText())
                .containsExactly(FULLNAME);
        assertThat(operatorRole(off)).isEqualTo(operatorRole(RENDERED));
    }

    @Test
    void noRuleUsesAWildcard() {
        for (JsonNode rule : allRules()) {
            for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                assertThat(texts(rule.path(field))).as("%s of %s", field, rule).noneMatch(s -> s.contains("*"));
            }
        }
    }

    @Test
    void statefulSetsAreReadOnly() {
        List<String> verbs = allRules().stream()
                .filter(r -> texts(r.path("resources")).stream().anyMatch(s -> s.startsWith("statefulsets")))
                .flatMap(r -> texts(r.path("verbs")).stream())
                .toList();

        assertThat(verbs).isNotEmpty().isSubsetOf(Set.of("get", "list", "watch"));
    }

    @Test
    void byDefaultNoRuleMentionsSecrets() {
        assertThat(allRules(RENDERED)).noneMatch(OperatorRbacTest::mentionsSecrets);
    }

    @Test
    void pullSecretsGrantOnlyGetOnSecretsClusterWide() {
        Manifests m = withPullSecrets(Map.of("enabled", true));

        List<JsonNode> secretRules =
                allRules(m).stream().filter(OperatorRbacTest::mentionsSecrets).toList();
        assertThat(secretRules).hasSize(1);
        assertThat(Rule.of(secretRules.get(0))).isEqualTo(new Rule("", "secrets", "get"));
        assertThat(secretRules.get(0).has("resourceNames")).isFalse();
        JsonNode role = m.ofKind("ClusterRole").stream()
                .filter(r -> r.path("rules").toString().contains("secrets"))
                .findFirst()
                .orElseThrow();
        JsonNode binding = m.ofKind("ClusterRoleBinding").stream()
                .filter(b -> b.path("roleRef")
                        .path("name")
                        .asText()
                        .equals(role.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(binding.path("subjects").get(0).path("name").asText())
                .isEqualTo(
                        m.single("ServiceAccount").path("metadata").path("name").asText());
    }

    @Test
    void pullSecretsCanBeLimitedToNamespacesAndNames() {
        Manifests m = withPullSecrets(
                Map.of("enabled", true, "namespaces", List.of("team-a", "team-b"), "secretNames", List.of("regcred")));

        assertThat(m.ofKind("ClusterRole"))
                .noneMatch(r -> r.path("rules").toString().contains("secrets"));
        List<JsonNode> roles = m.ofKind("Role").stream()
                .filter(r -> r.path("rules").toString().contains("secrets"))
                .toList();
        assertThat(roles)
                .extracting(r -> r.path("metadata").path("namespace").asText())
                .containsExactly("team-a", "team-b");
        for (JsonNode role : roles) {
            assertThat(rules(role)).containsExactly(new Rule("", "secrets", "get"));
            assertThat(texts(role.path("rules").get(0).path("resourceNames"))).containsExactly("regcred");
        }
        assertThat(m.ofKind("RoleBinding"))
                .extracting(b -> b.path("metadata").path("namespace").asText())
                .contains("team-a", "team-b");
    }

    @Test
    void insecureRegistriesReachTheOperator() {
        Manifests m = Charts.template(
                OPERATOR,
                "rollgate",
                "rollgate-system",
                Map.of("imageResolution", Map.of("insecureRegistries", List.of("registry.lan:5000", "mirror.lan"))));

        JsonNode env = m.single("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env");
        List<String> values = new ArrayList<>();
        env.forEach(e -> {
            if (e.path("name").asText().equals("ROLLGATE_INSECURE_REGISTRIES")) {
                values.add(e.path("value").asText());
            }
        });
        assertThat(values).containsExactly("registry.lan:5000,mirror.lan");
    }

    private static JsonNode operatorRole(Manifests m) {
        return m.get("ClusterRole", FULLNAME);
    }

    /** The {@code rbac.authorization.k8s.io/aggregate-to-*} labels of a role. */
    private static Map<String, String> aggregationLabels(JsonNode role) {
        Map<String, String> labels = new TreeMap<>();
        role.path("metadata").path("labels").properties().forEach(e -> {
            if (e.getKey().startsWith(AGGREGATE)) {
                labels.put(e.getKey(), e.getValue().asText());
            }
        });
        return labels;
    }

    private static Manifests withPullSecrets(Map<String, ?> pullSecrets) {
        return Charts.template(
                OPERATOR, "rollgate", "rollgate-system", Map.of("imageResolution", Map.of("pullSecrets", pullSecrets)));
    }

    private static boolean mentionsSecrets(JsonNode rule) {
        return texts(rule.path("resources")).stream().anyMatch(s -> s.startsWith("secrets"));
    }

    private static List<JsonNode> allRules() {
        return allRules(RENDERED);
    }

    private static List<JsonNode> allRules(Manifests m) {
        List<JsonNode> rules = new ArrayList<>();
        for (String kind : List.of("ClusterRole", "Role")) {
            m.ofKind(kind).forEach(role -> role.path("rules").forEach(rules::add));
        }
        return rules;
    }

    private static List<Rule> rules(JsonNode role) {
        List<Rule> out = new ArrayList<>();
        role.path("rules").forEach(r -> out.add(Rule.of(r)));
        return out;
    }
}
