package dev.rollgate.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The cluster the operator's integration tests run on. */
final class ItCluster {
  private ItCluster() {}

  private static KubernetesClient admin;

  static synchronized KubernetesClient admin() {
    if (admin == null) {
      Path kubeconfig = Path.of(System.getProperty("user.home"), ".cache/rollgate/cluster/kubeconfig");
      admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(readString(kubeconfig))).build();
    }
    return admin;
  }

  static Path adminKubeconfig() {
    return Path.of(System.getProperty("user.home"), ".cache/rollgate/cluster/kubeconfig");
  }

  static Path kubectl() {
    return Path.of(System.getProperty("user.home"), ".cache/rollgate/k8s/v1.34.4/kubectl");
  }

  static Path auditLog() {
    return Path.of(System.getProperty("user.home"), ".cache/rollgate/cluster/audit.log");
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
          .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
    }
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
