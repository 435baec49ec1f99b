package dev.rollgate.e2e.cluster;

import static dev.rollgate.e2e.cluster.Deployments.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.TestNamespace;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The image-tag rule the rollout tests do not exercise (e2e/cluster/stages.yaml). */
@WithKubernetes
class SimulatedPodsIT {

    @Test
    void aPodWhoseImageCannotBePulledWaitsInErrImagePullThenImagePullBackOff(
            LocalKubernetes cluster, TestNamespace ns) {
        cluster.assumeSimulatedPods();
        String image = IMAGE + "-badpull";

        cluster.client()
                .pods()
                .inNamespace(ns.name())
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("unpullable")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage(image)
                        .endContainer()
                        .endSpec()
                        .build())
                .create();

        Set<String> reasons = new HashSet<>();
        Await.until(Duration.ofSeconds(30), "ErrImagePull and then ImagePullBackOff", () -> {
            Pod pod = cluster.client()
                    .pods()
                    .inNamespace(ns.name())
                    .withName("unpullable")
                    .get();
            waitingReason(pod).ifPresent(reasons::add);
            return reasons.containsAll(Set.of("ErrImagePull", "ImagePullBackOff"));
        });
        Pod pod = cluster.client()
                .pods()
                .inNamespace(ns.name())
                .withName("unpullable")
                .get();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getContainerStatuses())
                .singleElement()
                .satisfies(s -> assertThat(s.getReady()).isFalse());
    }

    private static Optional<String> waitingReason(Pod pod) {
        return Optional.ofNullable(pod.getStatus().getContainerStatuses())
                .flatMap(statuses -> statuses.stream().findFirst())
                .map(ContainerStatus::getState)
                .filter(state -> state.getWaiting() != null)
                .map(state -> state.getWaiting().getReason());
    }
}
