package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static dev.rollgate.e2e.helm.OperatorChartTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operator's RBAC is least privilege, and "never writes a StatefulSet" is a property of it.
 * The e2e suite proves the same on a real API server; this test pins the rules themselves.
 */
class OperatorRbacTest {
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
    assertThat(rules(RENDERED.single("ClusterRole"))).containsExactly(
        new Rule("rollgate.dev", "apideployments", "get,list,watch"),
        new Rule("rollgate.dev", "apideployments/status", "get,update,patch"),
        new Rule("apps", "deployments", "get,list,watch,create,patch,update"),
        new Rule("", "services", "get,list,watch,create,patch,update"),
        new Rule("", "pods", "get,list,watch"),
        new Rule("apps", "statefulsets", "get,list,watch"),
        new Rule("", "events", "create,patch"),
        new Rule("events.k8s.io", "events", "create,patch"));
  }

  @Test
  void leaderElectionRoleIsNamespacedToTheReleaseAndCoversOnlyLeases() {
    JsonNode role = RENDERED.single("Role");

    assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("rollgate-system");
    assertThat(rules(role)).containsExactly(
        new Rule("coordination.k8s.io", "leases", "get,list,watch,create,update,patch"));
    assertThat(RENDERED.single("RoleBinding").path("roleRef").path("name").asText())
        .isEqualTo(role.path("metadata").path("name").asText());
    assertThat(RENDERED.single("ClusterRoleBinding").path("roleRef").path("name").asText())
        .isEqualTo(RENDERED.single("ClusterRole").path("metadata").path("name").asText());
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
  void noRuleMentionsSecrets() {
    assertThat(allRules()).noneMatch(r -> texts(r.path("resources")).stream().anyMatch(s -> s.startsWith("secrets")));
  }

  private static List<JsonNode> allRules() {
    List<JsonNode> rules = new ArrayList<>();
    for (String kind : List.of("ClusterRole", "Role")) {
      RENDERED.ofKind(kind).forEach(role -> role.path("rules").forEach(rules::add));
    }
    return rules;
  }

  private static List<Rule> rules(JsonNode role) {
    List<Rule> out = new ArrayList<>();
    role.path("rules").forEach(r -> out.add(Rule.of(r)));
    return out;
  }
}
