package dev.rollgate.operator.it;

import dev.rollgate.testkit.OperatorProcess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every operator integration test shares: the cluster, the operator's identity from the
 * Helm chart, and one operator process per test class. After each class it checks the guarantee
 * that holds across the suite: the audit log holds no write to a StatefulSet by the operator.
 */
abstract class OperatorTestBase {
  protected static KubernetesClient client;
  protected static OperatorIdentity identity;
  protected static OperatorProcess operator;

  static void startSharedOperator(String name) throws IOException {
    client = ItCluster.admin();
    ItCluster.ensureCrd(client);
    identity = OperatorIdentity.install(client, ItCluster.repoRoot());
    operator = OperatorProcess.start(identity.kubeconfig, name, Map.of());
  }

  static OperatorProcess startAnotherOperator(String name) {
    return OperatorProcess.start(identity.kubeconfig, name, Map.of());
  }

  static void stopSharedOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
    if (identity != null) {
      assertThat(writesToStatefulSetsBy(identity.username()))
          .as("audit log: writes to StatefulSets by %s", identity.username()).isEmpty();
    }
  }

  Scenario scenario(String prefix) {
    return new Scenario(client, prefix);
  }

  /** Audit events (ResponseComplete) of a write verb on statefulsets made by the given user. */
  static List<String> writesToStatefulSetsBy(String username) {
    Path audit = ItCluster.auditLog();
    ObjectMapper json = new ObjectMapper();
    try (var lines = Files.lines(audit)) {
      return lines.filter(l -> l.contains("statefulsets") && l.contains(username)).filter(l -> {
        try {
          JsonNode e = json.readTree(l);
          String verb = e.path("verb").asText();
          return username.equals(e.path("user").path("username").asText())
              && "statefulsets".equals(e.path("objectRef").path("resource").asText())
              && !List.of("get", "list", "watch").contains(verb);
        } catch (IOException notJson) {
          return false;
        }
      }).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the audit log " + audit, e);
    }
  }

  /** Every audit event by the given user, to prove the log does record the operator's requests. */
  static long requestsBy(String username) {
    try (var lines = Files.lines(ItCluster.auditLog())) {
      return lines.filter(l -> l.contains("\"username\":\"" + username + "\"")).count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
