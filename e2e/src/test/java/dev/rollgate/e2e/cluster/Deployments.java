package dev.rollgate.e2e.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.Optional;

/** Deployments for the cluster tests, and reading their conditions. */
final class Deployments {
    /**
     * Any image works on the local cluster (KWOK pulls nothing); this one also runs on kind. Tags
     * ending in -crashloop, -unready or -badpull fail on the local cluster (e2e/cluster/stages.yaml).
     */
    static final String IMAGE = "registry.k8s.io/pause:3.10";

    private Deployments() {}

    static Deployment deployment(String name, String image, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
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

    static Optional<DeploymentCondition> condition(Deployment d, String type) {
        return d == null || d.getStatus() == null || d.getStatus().getConditions() == null
                ? Optional.empty()
                : d.getStatus().getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst();
    }

    static boolean hasCondition(Deployment d, String type, String status, String reason) {
        return condition(d, type)
                .filter(c -> status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason())))
                .isPresent();
    }
}
