package dev.rollgate.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pods' imageIDs the observe step hands to the decider. */
class ReadyPodImagesTest {
    static final String V2 = "registry.example.com/clinic:2.0.0";
    static final String V1 = "registry.example.com/clinic:1.0.0";
    static final String ID = "registry.example.com/clinic@sha256:" + "2".repeat(64);

    static Deployment deployment(String image) {
        return new DeploymentBuilder()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static Pod pod(String image, boolean ready, boolean deleting, String imageId) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withDeletionTimestamp(deleting ? "2026-11-28T12:00:00Z" : null)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .addNewContainerStatus()
                .withName("app")
                .withImage(image)
                .withImageID(imageId)
                .endContainerStatus()
                .endStatus()
                .build();
    }

    @Test
    void onlyReadyLivePodsOfTheTemplatesImageReport() {
        List<Pod> pods = List.of(
                pod(V2, true, false, ID), // counted
                pod(V2, true, false, null), // counted: reports nothing, so the decider knows
                pod(V2, false, false, "x@sha256:1"), // not ready: not gated yet
                pod(V2, true, true, "y@sha256:1"), // on its way out
                pod(V1, true, false, "z@sha256:1")); // an old ReplicaSet's
        assertThat(ReadyPodImages.of(deployment(V2), pods, "app")).containsExactly("", ID);
    }

    @Test
    void noDeploymentNoPodsNoReports() {
        assertThat(ReadyPodImages.of(null, List.of(pod(V2, true, false, ID)), "app"))
                .isEmpty();
        assertThat(ReadyPodImages.of(deployment(V2), List.of(), "app")).isEmpty();
        assertThat(ReadyPodImages.of(deployment(V2), List.of(pod(V2, true, false, ID)), "sidecar"))
                .isEmpty();
    }
}
