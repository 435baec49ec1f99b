package dev.rollgate.e2e.cluster;

import static dev.rollgate.e2e.cluster.Deployments.IMAGE;
import static dev.rollgate.e2e.cluster.Deployments.deployment;
import static dev.rollgate.e2e.cluster.Deployments.hasCondition;

import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.TestNamespace;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kube-controller-manager's garbage collector deletes dependents whose owner is gone. */
@WithKubernetes
class GarbageCollectionIT {

    @Test
    void deletingAnOwnerDeletesItsDependents(KubernetesClient client, TestNamespace ns) {
        // given an owner and two dependents of different kinds
        ConfigMap owner = client.configMaps()
                .inNamespace(ns.name())
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("owner")
                        .endMetadata()
                        .build())
                .create();
        var ownedBy = new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName("owner")
                .withUid(owner.getMetadata().getUid())
                .build();
        client.configMaps()
                .inNamespace(ns.name())
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("dependent-config")
                        .withOwnerReferences(ownedBy)
                        .endMetadata()
                        .build())
                .create();
        client.secrets()
                .inNamespace(ns.name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("dependent-secret")
                        .withOwnerReferences(ownedBy)
                        .endMetadata()
                        .build())
                .create();

        // when
        client.configMaps().inNamespace(ns.name()).withName("owner").delete();

        // then
        Await.until(
                Duration.ofSeconds(30),
                "the dependents to be garbage-collected",
                () -> client.configMaps()
                                        .inNamespace(ns.name())
                                        .withName("dependent-config")
                                        .get()
                                == null
                        && client.secrets()
                                        .inNamespace(ns.name())
                                        .withName("dependent-secret")
                                        .get()
                                == null);
    }

    @Test
    void deletingADeploymentDeletesItsReplicaSetsAndPods(KubernetesClient client, TestNamespace ns) {
        // given
        client.apps()
                .deployments()
                .inNamespace(ns.name())
                .resource(deployment("web", IMAGE, 2))
                .create();
        client.apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .waitUntilCondition(d -> hasCondition(d, "Available", "True", null), 60, TimeUnit.SECONDS);

        // when
        client.apps().deployments().inNamespace(ns.name()).withName("web").delete();

        // then
        Await.until(
                Duration.ofSeconds(60),
                "the ReplicaSet and pods of web to be garbage-collected",
                () -> client.apps()
                                .replicaSets()
                                .inNamespace(ns.name())
                                .withLabel("app", "web")
                                .list()
                                .getItems()
                                .isEmpty()
                        && client.pods()
                                .inNamespace(ns.name())
                                .withLabel("app", "web")
                                .list()
                                .getItems()
                                .isEmpty());
    }
}
