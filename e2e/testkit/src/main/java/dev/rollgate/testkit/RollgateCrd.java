package dev.rollgate.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rollgate.testkit.LocalKubernetes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The cluster the operator's integration tests run on. */
final class ItCluster {
  private ItCluster() {}

  /** The admin client of the local cluster (brought up, and built on first use, by the test kit). */
  static KubernetesClient admin() {
    return LocalKubernetes.get().client();
  }

  static Path adminKubeconfig() {
    return LocalKubernetes.get().kubeconfig();
  }

  static Path kubectl() {
    return LocalKubernetes.get().kubectl();
  }

  static Path repoRoot() {
    String root = System.getProperty("rollgate.repo.root");
    return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
  }

  /** Installs the committed CRD, as Helm would, and waits until the API server serves it. */
  static void ensureCrd(KubernetesClient client) throws IOException {
    try (InputStream in = Files.newInputStream(repoRoot().resolve("crds/apideployments.rollgate.dev-v1.yml"))) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).forceConflicts().serverSideApply();
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          // status, then its conditions, appear a moment after the apply: absent means not yet
          .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
    }
  }
}
