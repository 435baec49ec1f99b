package dev.rollgate.operator.owned;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ImagePullPolicy;
import dev.rollgate.operator.api.PodOverlay;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class OwnedObjectsTest {
  static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

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

  @ParameterizedTest(name = "{0} -> version {1}")
  @CsvSource({
      "localhost:5000/clinic:2.0, 2.0",
      "localhost:5000/clinic,     latest",
      "clinic@sha256:" + HEX + ", digest",
  })
  void versionLabelComesFromTheTag(String image, String version) {
    // every case of the rule is in ImageReferenceTest; this checks the label uses it
    assertThat(OwnedObjects.deployment(cr(), Tier.API, image).getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/version", version);
  }

  // --- the migration Job (spec.migration) ---

  @Test
  void migrationJobRunsTheImageOnceAsTheMigrateRoleShapedLikeAnApiPod() {
    ApiDeployment cr = cr();
    cr.getSpec().env.add(new EnvVarBuilder().withName("ROLLGATE_ROLE").withValue("api").build());
    cr.getSpec().env.add(new EnvVarBuilder().withName("CLINIC_DB_URL").withValue("jdbc:postgresql://db/clinic").build());
    cr.getSpec().env.add(new EnvVarBuilder().withName("CLINIC_FLYWAY_LOCATIONS").withValue("classpath:a").build());
    cr.getSpec().migration = new dev.rollgate.operator.api.Migration();
    cr.getSpec().migration.timeoutSeconds = 90;
    cr.getSpec().migration.args = List.of("--verbose");
    cr.getSpec().migration.env = List.of(
        new EnvVarBuilder().withName("CLINIC_FLYWAY_LOCATIONS").withValue("classpath:a,filesystem:/m").build());
    cr.getSpec().api.pod = new PodOverlay();
    cr.getSpec().api.pod.serviceAccountName = "clinic-migrator";

    var job = OwnedObjects.migrationJob(cr, "clinic-migrate-0123456789", "registry.example.com/clinic:1.4.2");
    assertThat(job.getMetadata().getName()).isEqualTo("clinic-migrate-0123456789");
    assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "migration")
        .containsEntry("app.kubernetes.io/managed-by", "rollgate");
    assertThat(job.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
    assertThat(job.getSpec().getBackoffLimit()).as("a failed migration is not retried blindly").isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(90L);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("clinic-migrator");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "clinic").containsEntry("app.kubernetes.io/component", "migration");
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry.example.com/clinic:1.4.2");
    assertThat(c.getArgs()).containsExactly("--verbose");
    assertThat(c.getReadinessProbe()).isNull();
    assertThat(c.getPorts()).isEmpty();
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    Map<String, String> env = new LinkedHashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    // the role is always migrate; spec.env otherwise as the tiers get it; spec.migration.env wins
    assertThat(env).containsEntry("ROLLGATE_ROLE", "migrate").containsEntry("ROLLGATE_IMAGE", "mine")
        .containsEntry("CLINIC_DB_URL", "jdbc:postgresql://db/clinic")
        .containsEntry("CLINIC_FLYWAY_LOCATIONS", "classpath:a,filesystem:/m");
    assertThat(c.getEnv()).extracting(e -> e.getName()).doesNotHaveDuplicates();
  }

  // --- the pod overlay (spec.api.pod, spec.worker.pod) ---

  /** An overlay that sets every field; its maps are filled in the given key order. */
  static PodOverlay everyField(boolean reversedMaps) {
    PodOverlay o = new PodOverlay();
    o.labels = map(reversedMaps, "team", "payments", "example.com/tier", "gold");
    o.annotations = map(reversedMaps, "prometheus.io/scrape", "true", "prometheus.io/port", "8080");
    o.nodeSelector = map(reversedMaps, "kubernetes.io/os", "linux", "pool", "apps");
    o.tolerations = List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("apps")
        .withEffect("NoSchedule").build());
    o.affinity = new AffinityBuilder().withNewPodAntiAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100).withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
        .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app.kubernetes.io/instance", "clinic").build())
        .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();
    o.topologySpreadConstraints = List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1)
        .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/component", "api").endLabelSelector().build());
    o.serviceAccountName = "clinic";
    o.securityContext = new PodSecurityContextBuilder().withRunAsNonRoot(true).withFsGroup(2000L).build();
    o.containerSecurityContext = new SecurityContextBuilder().withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false).withNewCapabilities().addToDrop("ALL").endCapabilities().build();
    o.volumes = List.of(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName("config").withNewConfigMap().withName("clinic-config").endConfigMap().build());
    o.volumeMounts = List.of(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
        new VolumeMountBuilder().withName("config").withMountPath("/config").withReadOnly(true).build());
    o.priorityClassName = "business-critical";
    o.terminationGracePeriodSeconds = 45L;
    o.imagePullPolicy = ImagePullPolicy.Always;
    return o;
  }

  private static Map<String, String> map(boolean reversed, String k1, String v1, String k2, String v2) {
    Map<String, String> m = new LinkedHashMap<>();
    if (reversed) {
      m.put(k2, v2);
      m.put(k1, v1);
    } else {
      m.put(k1, v1);
      m.put(k2, v2);
    }
    return m;
  }

  static String json(Deployment d) throws IOException {
    // insertion order, not sorted: "byte-identical" includes the order the client sends
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(d) + "\n";
  }

  static String golden(Tier tier) throws IOException {
    // rendered by OwnedObjects before the pod overlay existed, less the imagePullPolicy that
    // Rollgate no longer sets for a tag
    try (InputStream in = OwnedObjectsTest.class.getResourceAsStream("/owned-objects/clinic-" + tier.role + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void withoutAnOverlayTheDeploymentIsExactlyWhatItWasBeforeOverlaysExisted(Tier tier) throws IOException {
    assertThat(json(OwnedObjects.deployment(cr(), tier, "registry.example.com/clinic:1.4.1"))).isEqualTo(golden(tier));
    // an empty overlay (pod: {}) is no overlay
    ApiDeployment empty = cr();
    empty.getSpec().api.pod = new PodOverlay();
    empty.getSpec().worker.pod = new PodOverlay();
    assertThat(json(OwnedObjects.deployment(empty, tier, "registry.example.com/clinic:1.4.1"))).isEqualTo(golden(tier));
  }

  @Test
  void everyOverlayFieldIsMergedIntoThePodTemplate() {
    ApiDeployment cr = cr();
    cr.getSpec().api.pod = everyField(false);
    var template = OwnedObjects.deployment(cr, Tier.API, "clinic:1").getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels()).containsEntry("team", "payments")
        .containsEntry("example.com/tier", "gold");
    assertThat(template.getMetadata().getAnnotations()).containsOnlyKeys("prometheus.io/port", "prometheus.io/scrape");
    var pod = template.getSpec();
    assertThat(pod.getNodeSelector()).containsOnlyKeys("kubernetes.io/os", "pool");
    assertThat(pod.getTolerations()).extracting("key").containsExactly("dedicated");
    assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
    assertThat(pod.getTopologySpreadConstraints()).extracting("topologyKey")
        .containsExactly("topology.kubernetes.io/zone");
    assertThat(pod.getServiceAccountName()).isEqualTo("clinic");
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(2000L);
    assertThat(pod.getVolumes()).extracting("name").containsExactly("tmp", "config");
    assertThat(pod.getPriorityClassName()).isEqualTo("business-critical");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
    var app = pod.getContainers().get(0);
    assertThat(app.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(app.getVolumeMounts()).extracting("mountPath").containsExactly("/tmp", "/config");
    assertThat(app.getImagePullPolicy()).isEqualTo("Always");
    // the other tier has no overlay and is unchanged
    assertThat(OwnedObjects.deployment(cr, Tier.WORKER, "clinic:1").getSpec().getTemplate().getSpec()
        .getVolumes()).isEmpty();
  }

  @Test
  void rollgateFieldsWinOverTheOverlayAndTheSelectorNeverChanges() {
    ApiDeployment plain = cr();
    ApiDeployment overlaid = cr();
    overlaid.getSpec().api.pod = everyField(false);
    // reserved keys are rejected at admission; should one get through, Rollgate's value stays
    overlaid.getSpec().api.pod.labels = new LinkedHashMap<>(Map.of("app.kubernetes.io/component", "db",
        "app.kubernetes.io/instance", "other", "app.kubernetes.io/version", "9", "team", "payments"));
    Deployment before = OwnedObjects.deployment(plain, Tier.API, "clinic:1.4.1");
    Deployment after = OwnedObjects.deployment(overlaid, Tier.API, "clinic:1.4.1");

    assertThat(after.getSpec().getSelector()).isEqualTo(before.getSpec().getSelector());
    assertThat(after.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(plain, Tier.API));
    assertThat(after.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(before.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "payments");
    var was = before.getSpec().getTemplate().getSpec().getContainers().get(0);
    var is = after.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(is.getName()).isEqualTo(was.getName()).isEqualTo(OwnedObjects.CONTAINER);
    assertThat(is.getImage()).isEqualTo(was.getImage());
    assertThat(is.getEnv()).isEqualTo(was.getEnv());
    assertThat(is.getPorts()).isEqualTo(was.getPorts());
    assertThat(is.getReadinessProbe()).isEqualTo(was.getReadinessProbe());
    assertThat(is.getLivenessProbe()).isEqualTo(was.getLivenessProbe());
    assertThat(is.getStartupProbe()).isEqualTo(was.getStartupProbe());
    assertThat(after.getMetadata()).isEqualTo(before.getMetadata());
  }

  @Test
  void theOverlayRendersDeterministicallySoTheSpecHashDoesNotChurn() throws IOException {
    ApiDeployment a = cr();
    a.getSpec().api.pod = everyField(false);
    ApiDeployment b = cr();
    b.getSpec().api.pod = everyField(true); // same overlay, maps read in another order
    Deployment first = OwnedObjects.deployment(a, Tier.API, "clinic:1");
    assertThat(json(OwnedObjects.deployment(a, Tier.API, "clinic:1"))).isEqualTo(json(first));
    assertThat(json(OwnedObjects.deployment(b, Tier.API, "clinic:1"))).isEqualTo(json(first));
    assertThat(SpecHash.of(OwnedObjects.deployment(b, Tier.API, "clinic:1"))).isEqualTo(SpecHash.of(first));
    // the rendered object shares nothing with the (cached) ApiDeployment
    a.getSpec().api.pod.volumes.get(0).setName("changed");
    a.getSpec().api.pod.securityContext.setFsGroup(1L);
    assertThat(json(OwnedObjects.deployment(b, Tier.API, "clinic:1"))).isEqualTo(json(first));
    assertThat(first.getSpec().getTemplate().getSpec().getVolumes().get(0).getName()).isEqualTo("tmp");
    assertThat(first.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup()).isEqualTo(2000L);
  }

  @ParameterizedTest(name = "{0}, overlay {1} -> {2}")
  @CsvSource(nullValues = "none", value = {
      // a digest cannot change: no need to ask the registry when the node has it
      "registry.example.com/clinic@sha256:" + HEX + ",     none,         IfNotPresent",
      "registry.example.com/clinic:1.4.2@sha256:" + HEX + ", none,         IfNotPresent",
      // a tag can move: Rollgate sets nothing and Kubernetes' default applies
      "registry.example.com/clinic:1.4.2,                  none,         none",
      "registry.example.com/clinic,                        none,         none",
      // the overlay wins either way
      "registry.example.com/clinic:1.4.2,                  Always,       Always",
      "registry.example.com/clinic@sha256:" + HEX + ",     Always,       Always",
      "registry.example.com/clinic:latest,                 IfNotPresent, IfNotPresent",
      "registry.example.com/clinic@sha256:" + HEX + ",     Never,        Never",
  })
  void pullPolicyIsIfNotPresentForADigestAndKubernetesDefaultForATag(String image, ImagePullPolicy overlay,
      String expected) {
    ApiDeployment cr = cr();
    cr.getSpec().worker.pod = new PodOverlay();
    cr.getSpec().worker.pod.priorityClassName = "low";
    cr.getSpec().worker.pod.imagePullPolicy = overlay;
    var app = OwnedObjects.deployment(cr, Tier.WORKER, image).getSpec().getTemplate().getSpec().getContainers()
        .get(0);
    assertThat(app.getImagePullPolicy()).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void everyLabelRollgatePutsOnAPodIsReservedAtAdmission(Tier tier) {
    var labels = OwnedObjects.deployment(cr(), tier, "clinic:1").getSpec().getTemplate().getMetadata().getLabels();
    assertThat(PodOverlay.RESERVED_LABELS).containsExactlyInAnyOrderElementsOf(labels.keySet());
    PodOverlay.RESERVED_LABELS.forEach(key -> assertThat(PodOverlay.RESERVED_LABELS_RULE).contains("'" + key + "'"));
  }
}
