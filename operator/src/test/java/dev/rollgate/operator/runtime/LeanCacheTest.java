package dev.rollgate.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeanCacheTest {

    @Test
    void podsKeepWhatTheDecisionReadsAndNothingElse() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("clinic-api-1")
                .withNamespace("prod")
                .addToLabels("app.kubernetes.io/instance", "clinic")
                .addToAnnotations(LeanCache.LAST_APPLIED, "{...}")
                .addToAnnotations("keep", "me")
                .withManagedFields(
                        new ManagedFieldsEntryBuilder().withManager("kubelet").build())
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("clinic:2")
                .addNewEnv()
                .withName("BIG")
                .withValue("x".repeat(4096))
                .endEnv()
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewContainerStatus()
                .withName("app")
                .withImageID("id")
                .endContainerStatus()
                .endStatus()
                .build();

        Pod lean = LeanCache.pod(pod);

        assertThat(lean.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(lean.getMetadata().getAnnotations()).containsOnlyKeys("keep");
        assertThat(lean.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "clinic");
        assertThat(lean.getSpec().getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("app");
            assertThat(c.getImage()).isEqualTo("clinic:2");
            assertThat(c.getEnv()).isNullOrEmpty();
        });
        assertThat(lean.getSpec().getVolumes()).isNullOrEmpty();
        assertThat(lean.getStatus().getContainerStatuses())
                .singleElement()
                .satisfies(cs -> assertThat(cs.getImageID()).isEqualTo("id"));
    }

    @Test
    void statefulSetsKeepTheirReplicasAndStatusOnly() {
        StatefulSet sts = new StatefulSetBuilder()
                .withNewMetadata()
                .withName("postgres")
                .withGeneration(3L)
                .withManagedFields(List.of(
                        new ManagedFieldsEntryBuilder().withManager("helm").build()))
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withServiceName("postgres")
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("pg")
                .withImage("postgres:15")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReadyReplicas(2)
                .withObservedGeneration(3L)
                .endStatus()
                .build();

        StatefulSet lean = LeanCache.statefulSet(sts);

        assertThat(lean.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(lean.getMetadata().getGeneration()).isEqualTo(3L);
        assertThat(lean.getSpec().getReplicas()).isEqualTo(2);
        assertThat(lean.getSpec().getTemplate()).isNull();
        assertThat(lean.getStatus().getReadyReplicas()).isEqualTo(2);
    }
}
