package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.testkit.Await;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One test's world: its own namespace, its ApiDeployment, and the waits a test needs, read like
 * a script. Images follow the KWOK rules of e2e/cluster: a tag ending in -crashloop, -unready or
 * -badpull fails that way; any other becomes Ready after a short delay.
 */
final class Scenario implements AutoCloseable {
  static final String NAME = "clinic";
  final KubernetesClient client;
  final String namespace;

  Scenario(KubernetesClient client, String prefix) {
    this.client = client;
    this.namespace = (prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36))
        .toLowerCase(Locale.ROOT);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  static String image(String tag) {
    return "registry.example.com/clinic:" + tag;
  }

  /** An ApiDeployment with test-friendly timing: no soak unless asked, a short deadline. */
  ApiDeployment create(String image, Consumer<ApiDeploymentSpec> tweak) {
    ApiDeployment cr = new ApiDeployment();
    cr.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(namespace).build());
    ApiDeploymentSpec spec = new ApiDeploymentSpec();
    spec.image = image;
    spec.rollout.minReadySeconds = 0;
    spec.rollout.timeoutSeconds = 120;
    tweak.accept(spec);
    cr.setSpec(spec);
    return client.resource(cr).create();
  }

  Resource<ApiDeployment> cr() {
    return client.resources(ApiDeployment.class).inNamespace(namespace).withName(NAME);
  }

  ApiDeploymentStatus status() {
    ApiDeployment cr = cr().get();
    return cr == null ? null : cr.getStatus();
  }

  /** As {@code kubectl patch --type merge}: no resourceVersion, so the operator's status writes never conflict. */
  void setImage(String image) {
    cr().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"image\":\"" + image + "\"}}");
  }

  /** As {@code kubectl annotate --overwrite}. */
  void annotate(String key, String value) {
    cr().patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  /**
   * Polls rather than using an informer-backed wait: conditions may read other objects, and
   * blocking calls must not run on the client's event threads.
   */
  ApiDeploymentStatus await(String what, Duration timeout, Predicate<ApiDeploymentStatus> condition) {
    try {
      return Await.until(timeout, what, () -> Optional.ofNullable(status()).filter(condition));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; status now: " + Json.write(status()), e);
    }
  }

  ApiDeploymentStatus awaitPhase(Phase phase, Duration timeout) {
    return await("phase " + phase, timeout, s -> s.phase == phase);
  }

  ApiDeploymentStatus awaitAvailableOn(String image, Duration timeout) {
    return await("Available on " + image, timeout, s -> s.phase == Phase.Available && image.equals(s.image));
  }

  Deployment deployment(String tier) {
    return client.apps().deployments().inNamespace(namespace).withName(NAME + "-" + tier).get();
  }

  String tierImage(String tier) {
    Deployment d = deployment(tier);
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  void assertBothTiersOn(String image) {
    assertThat(tierImage("api")).as("api tier image").isEqualTo(image);
    assertThat(tierImage("worker")).as("worker tier image").isEqualTo(image);
  }

  @Override
  public void close() {
    client.namespaces().withName(namespace).delete();
  }
}
