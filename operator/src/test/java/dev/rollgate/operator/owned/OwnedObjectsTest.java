package dev.rollgate.operator.owned;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ImagePullPolicy;
import dev.rollgate.operator.api.PodOverlay;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The desired Deployments and Service of an ApiDeployment, rendered from its spec and the decided image. */
class OwnedObjectsTest {
    static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static ApiDeployment cr() {
        ApiDeployment cr = new ApiDeployment();
        cr.setMetadata(new ObjectMetaBuilder()
                .withName("clinic")
                .withNamespace("prod")
                .withUid("u-1")
                .build());
        cr.setSpec(new ApiDeploymentSpec());
        cr.getSpec().image = "registry.example.com/clinic:1.4.2";
        cr.getSpec().worker.replicas = 0;
        cr.getSpec()
                .env
                .add(new EnvVarBuilder()
                        .withName("ROLLGATE_IMAGE")
                        .withValue("mine")
                        .build());
        return cr;
    }

    @Test
    void apiDeploymentCarriesImageRoleProbesAndOwner() {
        var d = OwnedObjects.deployment(cr(), Tier.API, "registry.example.com/clinic:1.4.1");
        assertThat(d.getMetadata().getName()).isEqualTo("clinic-api");
        assertThat(d.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "rollgate")
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
        assertThat(d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv()
                        .get(0)
                        .getValue())
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
        assertThat(OwnedObjects.deployment(cr(), Tier.API, image)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels())
                .containsEntry("app.kubernetes.io/version", version);
    }

    // --- the pod overlay (spec.api.pod, spec.worker.pod): PodTemplateOverlayTest ---

    static String json(Deployment d) throws IOException {
        // insertion order, not sorted: "byte-identical" includes the order the client sends
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(d) + "\n";
    }

    static String golden(Tier tier) throws IOException {
        // rendered by OwnedObjects before the pod overlay existed, less the imagePullPolicy that
        // Rollgate no longer sets for a tag
        try (InputStream in =
                OwnedObjectsTest.class.getResourceAsStream("/owned-objects/clinic-" + tier.role + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void withoutAnOverlayTheDeploymentIsExactlyWhatItWasBeforeOverlaysExisted(Tier tier) throws IOException {
        assertThat(json(OwnedObjects.deployment(cr(), tier, "registry.example.com/clinic:1.4.1")))
                .isEqualTo(golden(tier));
        // an empty overlay (pod: {}) is no overlay
        ApiDeployment empty = cr();
        empty.getSpec().api.pod = new PodOverlay();
        empty.getSpec().worker.pod = new PodOverlay();
        assertThat(json(OwnedObjects.deployment(empty, tier, "registry.example.com/clinic:1.4.1")))
                .isEqualTo(golden(tier));
    }

    @ParameterizedTest(name = "{0}, overlay {1} -> {2}")
    @CsvSource(
            nullValues = "none",
            value = {
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
    void pullPolicyIsIfNotPresentForADigestAndKubernetesDefaultForATag(
            String image, ImagePullPolicy overlay, String expected) {
        ApiDeployment cr = cr();
        cr.getSpec().worker.pod = new PodOverlay();
        cr.getSpec().worker.pod.priorityClassName = "low";
        cr.getSpec().worker.pod.imagePullPolicy = overlay;
        var app = OwnedObjects.deployment(cr, Tier.WORKER, image)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(app.getImagePullPolicy()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void everyLabelRollgatePutsOnAPodIsReservedAtAdmission(Tier tier) {
        var labels = OwnedObjects.deployment(cr(), tier, "clinic:1")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        assertThat(PodOverlay.RESERVED_LABELS).containsExactlyInAnyOrderElementsOf(labels.keySet());
        PodOverlay.RESERVED_LABELS.forEach(
                key -> assertThat(PodOverlay.RESERVED_LABELS_RULE).contains("'" + key + "'"));
    }
}
