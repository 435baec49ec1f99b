package dev.rollgate.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubectl's rollout-status rules, one row per rule. */
class DeploymentRolloutCheckTest {

    @ParameterizedTest(name = "gen {0}/obs {1}, desired {2}: replicas {3} updated {4} available {5} {6} -> {7}")
    @CsvSource({
        // generation, observed, desired, replicas, updated, available, progressing reason, verdict
        "2, 1, 2, 2, 2, 2, NewReplicaSetAvailable,   InProgress", // controller has not seen the change
        "2, 2, 2, 2, 1, 2, ReplicaSetUpdated,        InProgress", // not every replica updated
        "2, 2, 2, 3, 2, 2, ReplicaSetUpdated,        InProgress", // an old replica is still there
        "2, 2, 2, 2, 2, 1, ReplicaSetUpdated,        InProgress", // ready but not yet available
        "2, 2, 2, 2, 2, 2, NewReplicaSetAvailable,   Complete",
        "2, 2, 0, 0, 0, 0, NewReplicaSetAvailable,   Complete", // worker scaled to zero
        "2, 2, 2, 3, 1, 2, ProgressDeadlineExceeded, DeadlineExceeded",
        "3, 2, 2, 3, 1, 2, ProgressDeadlineExceeded, InProgress", // a newer template resets the judgement
    })
    void judgesLikeKubectl(
            long generation,
            long observed,
            int desired,
            int replicas,
            int updated,
            int available,
            String reason,
            RolloutVerdict expected) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("clinic-api")
                .withGeneration(generation)
                .endMetadata()
                .withNewSpec()
                .withReplicas(desired)
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("clinic:2")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(observed)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(available)
                .withAvailableReplicas(available)
                .withConditions(new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("ProgressDeadlineExceeded".equals(reason) ? "False" : "True")
                        .withReason(reason)
                        .withLastUpdateTime("2026-11-28T12:00:00Z")
                        .build())
                .endStatus()
                .build();
        TierObservation t = DeploymentRolloutCheck.observe(d, "app");
        assertThat(t.verdict()).isEqualTo(expected);
        assertThat(t.image()).isEqualTo("clinic:2");
        assertThat(t.counts().available).isEqualTo(available);
    }

    @org.junit.jupiter.api.Test
    void aMissingDeploymentIsMissing() {
        assertThat(DeploymentRolloutCheck.observe(null, "app").verdict()).isEqualTo(RolloutVerdict.Missing);
    }

    @Test
    void theAppContainerIsFoundByNameWhateverElseThePodRuns() {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("clinic-api")
                .withGeneration(1L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("sidecar")
                .withImage("proxy:1")
                .endContainer()
                .addNewContainer()
                .withName("app")
                .withImage("clinic:2")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        assertThat(DeploymentRolloutCheck.observe(d, "app").image()).isEqualTo("clinic:2");
        assertThat(DeploymentRolloutCheck.imageOf(d, "other")).isNull();
    }
}
