package dev.rollgate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.reconciler.Labels.Tier;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class OwnedObjectsTest {

  static ApiDeployment cr() {
    ApiDeployment cr = new ApiDeployment();
    cr.setMetadata(new ObjectMetaBuilder().withName("clinic").withNamespace("prod").withUid("u-1").build());
    cr.setSpec(new ApiDeploymentSpec());
    cr.getSpec().image = "registry.example.com/clinic:1.4.2";
    cr.getSpec().worker.replicas = 0;
    cr.getSpec().env.add(new EnvVarBuilder().withName("ROLLGATE_IMAGE").withValue("mine").build());
    return cr;
  }

  @Test
  void apiDeploymentCarriesImageRoleProbesAndOwner() {
    var d = OwnedObjects.deployment(cr(), Tier.API, "registry.example.com/clinic:1.4.1");
    assertThat(d.getMetadata().getName()).isEqualTo("clinic-api");
    assertThat(d.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "rollgate")
        .containsEntry("app.kubernetes.io/component", "api");
    assertThat(d.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
    var spec = d.getSpec();
    assertThat(spec.getReplicas()).isEqualTo(2);
    assertThat(spec.getProgressDeadlineSeconds()).isEqualTo(300);
    assertThat(spec.getMinReadySeconds()).isEqualTo(10);
    var c = spec.getTemplate().getSpec().getContainers().get(0);
    // the decider's image, not necessarily spec.image (a revert applies the last known-good one)
    assertThat(c.getImage()).isEqualTo("registry.example.com/clinic:1.4.1");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
    // the user's variable wins, and no name appears twice (server-side apply keys env by name)
    assertThat(c.getEnv()).extracting("name").containsExactly("ROLLGATE_ROLE", "ROLLGATE_IMAGE");
    assertThat(c.getEnv().get(1).getValue()).isEqualTo("mine");
    assertThat(spec.getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/version", "1.4.1");
  }

  @Test
  void workerZeroReplicasMeansNoRunningWorker() {
    var d = OwnedObjects.deployment(cr(), Tier.WORKER, "clinic:1");
    assertThat(d.getMetadata().getName()).isEqualTo("clinic-worker");
    assertThat(d.getSpec().getReplicas()).isZero();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValue())
        .isEqualTo("worker");
  }

  @Test
  void serviceSelectsTheApiPods() {
    var s = OwnedObjects.service(cr());
    assertThat(s.getMetadata().getName()).isEqualTo("clinic-api");
    assertThat(s.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "api");
    assertThat(s.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
  }

  @Test
  void versionLabelComesFromTheTag() {
    assertThat(Labels.versionOf("localhost:5000/clinic:2.0")).isEqualTo("2.0");
    assertThat(Labels.versionOf("localhost:5000/clinic")).isEqualTo("latest");
    assertThat(Labels.versionOf("clinic@sha256:abc")).isEqualTo("digest");
  }
}
