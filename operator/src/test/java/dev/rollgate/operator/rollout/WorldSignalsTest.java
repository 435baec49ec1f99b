package dev.rollgate.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorldSignalsTest {

    static Pod pod(String name, String image, String waitingReason, boolean deleting) {
        var b = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withDeletionTimestamp(deleting ? "2026-11-28T12:00:00Z" : null)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec();
        if (waitingReason != null) {
            b.withNewStatus()
                    .addNewContainerStatus()
                    .withName("app")
                    .withImage("docker.io/library/" + image)
                    .withNewState()
                    .withNewWaiting()
                    .withReason(waitingReason)
                    .withMessage("back-off")
                    .endWaiting()
                    .endState()
                    .endContainerStatus()
                    .endStatus();
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} deleting={1} -> signal={2}")
    @CsvSource({
        "CrashLoopBackOff,  false, true",
        "ImagePullBackOff,  false, true",
        "ErrImagePull,      false, true",
        "InvalidImageName,  false, true",
        "ContainerCreating, false, false", // just slow, not stuck
        "CrashLoopBackOff,  true,  false", // a pod on its way out says nothing about the new revision
    })
    void stuckContainersAreFailureSignals(String reason, boolean deleting, boolean signal) {
        var failures = WorldSignals.podFailures(List.of(pod("p", "clinic:3", reason, deleting)));
        assertThat(!failures.isEmpty()).isEqualTo(signal);
        if (signal) {
            // the image is the one the pod spec asks for, not the runtime's resolved name
            assertThat(failures.get(0).image()).isEqualTo("clinic:3");
            assertThat(failures.get(0).reason()).isEqualTo(reason);
        }
    }

    static StatefulSet sts(Integer replicas, Integer ready, long generation, Long observed) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName("clinic-postgres")
                .withGeneration(generation)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .withNewStatus()
                .withReadyReplicas(ready)
                .withObservedGeneration(observed)
                .endStatus()
                .build();
    }

    @Test
    void dependencyReadiness() {
        assertThat(WorldSignals.dependency("clinic-postgres", null).ready()).isFalse();
        assertThat(WorldSignals.dependency("clinic-postgres", null).detail()).isEqualTo("not found");
        assertThat(WorldSignals.dependency("x", sts(1, 0, 1, 1L)).ready()).isFalse();
        assertThat(WorldSignals.dependency("x", sts(1, 1, 2, 1L)).ready()).isFalse();
        assertThat(WorldSignals.dependency("x", sts(1, null, 1, null)).ready()).isFalse();
        assertThat(WorldSignals.dependency("x", sts(1, 1, 1, 1L)).ready()).isTrue();
        assertThat(WorldSignals.dependency("x", sts(3, 3, 4, 4L)).ready()).isTrue();
    }
}
