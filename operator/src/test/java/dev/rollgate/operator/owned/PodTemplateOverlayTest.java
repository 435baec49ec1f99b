package dev.rollgate.operator.owned;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ImagePullPolicy;
import dev.rollgate.operator.api.PodOverlay;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod overlay (spec.api.pod, spec.worker.pod), merged into what Rollgate renders. */
class PodTemplateOverlayTest {

    /** An overlay that sets every field; its maps are filled in the given key order. */
    static PodOverlay everyField(boolean reversedMaps) {
        PodOverlay o = new PodOverlay();
        o.labels = map(reversedMaps, "team", "payments", "example.com/tier", "gold");
        o.annotations = map(reversedMaps, "prometheus.io/scrape", "true", "prometheus.io/port", "8080");
        o.nodeSelector = map(reversedMaps, "kubernetes.io/os", "linux", "pool", "apps");
        o.tolerations = List.of(new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Equal")
                .withValue("apps")
                .withEffect("NoSchedule")
                .build());
        o.affinity = new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname")
                .withLabelSelector(new LabelSelectorBuilder()
                        .addToMatchLabels("app.kubernetes.io/instance", "clinic")
                        .build())
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
        o.topologySpreadConstraints = List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("topology.kubernetes.io/zone")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector()
                .addToMatchLabels("app.kubernetes.io/component", "api")
                .endLabelSelector()
                .build());
        o.serviceAccountName = "clinic";
        o.securityContext = new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withFsGroup(2000L)
                .build();
        o.containerSecurityContext = new SecurityContextBuilder()
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .addToDrop("ALL")
                .endCapabilities()
                .build();
        o.volumes = List.of(
                new VolumeBuilder()
                        .withName("tmp")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build(),
                new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("clinic-config")
                        .endConfigMap()
                        .build());
        o.volumeMounts = List.of(
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
                new VolumeMountBuilder()
                        .withName("config")
                        .withMountPath("/config")
                        .withReadOnly(true)
                        .build());
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

    @Test
    void everyOverlayFieldIsMergedIntoThePodTemplate() {
        ApiDeployment cr = OwnedObjectsTest.cr();
        cr.getSpec().api.pod = everyField(false);
        var template =
                OwnedObjects.deployment(cr, Tier.API, "clinic:1").getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels())
                .containsEntry("team", "payments")
                .containsEntry("example.com/tier", "gold");
        assertThat(template.getMetadata().getAnnotations())
                .containsOnlyKeys("prometheus.io/port", "prometheus.io/scrape");
        var pod = template.getSpec();
        assertThat(pod.getNodeSelector()).containsOnlyKeys("kubernetes.io/os", "pool");
        assertThat(pod.getTolerations()).extracting("key").containsExactly("dedicated");
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .hasSize(1);
        assertThat(pod.getTopologySpreadConstraints())
                .extracting("topologyKey")
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
        assertThat(OwnedObjects.deployment(cr, Tier.WORKER, "clinic:1")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getVolumes())
                .isEmpty();
    }

    @Test
    void rollgateFieldsWinOverTheOverlayAndTheSelectorNeverChanges() {
        ApiDeployment plain = OwnedObjectsTest.cr();
        ApiDeployment overlaid = OwnedObjectsTest.cr();
        overlaid.getSpec().api.pod = everyField(false);
        // reserved keys are rejected at admission; should one get through, Rollgate's value stays
        overlaid.getSpec().api.pod.labels = new LinkedHashMap<>(Map.of(
                "app.kubernetes.io/component",
                "db",
                "app.kubernetes.io/instance",
                "other",
                "app.kubernetes.io/version",
                "9",
                "team",
                "payments"));
        Deployment before = OwnedObjects.deployment(plain, Tier.API, "clinic:1.4.1");
        Deployment after = OwnedObjects.deployment(overlaid, Tier.API, "clinic:1.4.1");

        assertThat(after.getSpec().getSelector()).isEqualTo(before.getSpec().getSelector());
        assertThat(after.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(plain, Tier.API));
        assertThat(after.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(
                        before.getSpec().getTemplate().getMetadata().getLabels())
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
        ApiDeployment a = OwnedObjectsTest.cr();
        a.getSpec().api.pod = everyField(false);
        ApiDeployment b = OwnedObjectsTest.cr();
        b.getSpec().api.pod = everyField(true); // same overlay, maps read in another order
        Deployment first = OwnedObjects.deployment(a, Tier.API, "clinic:1");
        assertThat(OwnedObjectsTest.json(OwnedObjects.deployment(a, Tier.API, "clinic:1")))
                .isEqualTo(OwnedObjectsTest.json(first));
        assertThat(OwnedObjectsTest.json(OwnedObjects.deployment(b, Tier.API, "clinic:1")))
                .isEqualTo(OwnedObjectsTest.json(first));
        assertThat(SpecHash.of(OwnedObjects.deployment(b, Tier.API, "clinic:1")))
                .isEqualTo(SpecHash.of(first));
        // the rendered object shares nothing with the (cached) ApiDeployment
        a.getSpec().api.pod.volumes.get(0).setName("changed");
        a.getSpec().api.pod.securityContext.setFsGroup(1L);
        assertThat(OwnedObjectsTest.json(OwnedObjects.deployment(b, Tier.API, "clinic:1")))
                .isEqualTo(OwnedObjectsTest.json(first));
        assertThat(first.getSpec().getTemplate().getSpec().getVolumes().get(0).getName())
                .isEqualTo("tmp");
        assertThat(first.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup())
                .isEqualTo(2000L);
    }
}
