package dev.rollgate.operator.it;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/** The stateful tiers a test needs, written by the test (as an admin), never by the operator. */
final class StatefulSets {
    private StatefulSets() {}

    static StatefulSet create(KubernetesClient client, String ns, String name, String image) {
        return client.resource(new StatefulSetBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withServiceName(name)
                        .withNewSelector()
                        .addToMatchLabels("app", name)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", name)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("main")
                        .withImage(image)
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    static void awaitReady(KubernetesClient client, String ns, String name) {
        client.apps()
                .statefulSets()
                .inNamespace(ns)
                .withName(name)
                .waitUntilCondition(
                        s -> s != null
                                && s.getStatus() != null
                                && s.getStatus().getReadyReplicas() != null
                                && s.getStatus().getReadyReplicas()
                                        >= s.getSpec().getReplicas(),
                        60,
                        TimeUnit.SECONDS);
    }
}
