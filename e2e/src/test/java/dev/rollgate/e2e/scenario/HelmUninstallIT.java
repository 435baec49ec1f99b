package dev.rollgate.e2e.scenario;

import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.ROLLOUT;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.Await;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Uninstalling the operator takes away everything the release installed except the CRD (Helm
 * never deletes a chart's CRDs, so the ApiDeployments survive), and leaves the application's data
 * alone: the StatefulSets, their volume claims and the database Secret.
 */
@EndToEnd
class HelmUninstallIT {

    @Test
    void uninstallingTheOperatorLeavesOnlyTheCrdAndNeverTouchesTheData(RollgateStack stack) {
        // given the operator and the clinic installed, and the clinic Available
        stack.installOperatorChart();
        stack.startOperator("uninstall");
        stack.installClinic(V1);
        stack.app().awaitPhase("Available", V1, ROLLOUT);
        KubernetesClient admin = stack.admin();
        String ns = stack.appNamespace();
        String opNs = stack.operatorNamespace();
        String name = stack.operatorName();
        List<HasMetadata> dataBefore = dataObjects(admin, ns);
        assertThat(dataBefore)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("StatefulSet/clinic-postgres", "StatefulSet/clinic-cache", "Secret/clinic-db");
        assertThat(operatorObjects(admin, opNs, name))
                .as("the release's objects while installed")
                .hasSize(10);
        // the leader's Lease, which the operator created (Helm does not know it), is owned by the Deployment
        Await.until(Duration.ofSeconds(30), "the Lease owned by the operator Deployment", () -> {
            var lease = admin.leases()
                    .inNamespace(opNs)
                    .withName("rollgate-operator")
                    .get();
            return lease != null
                    && lease.getMetadata().getOwnerReferences().stream()
                            .anyMatch(o -> "Deployment".equals(o.getKind()) && name.equals(o.getName()));
        });

        // when the operator release is uninstalled (and its process stops, as its pod would)
        stack.uninstallOperatorChart();
        stack.stopOperator();

        // then none of the release's objects is left, and Helm forgot the release
        assertThat(operatorObjects(admin, opNs, name))
                .as("the release's objects after helm uninstall")
                .isEmpty();
        assertThat(stack.helm().isInstalled(RollgateStack.OPERATOR_RELEASE, opNs))
                .isFalse();
        assertThat(admin.secrets()
                        .inNamespace(opNs)
                        .withLabel("owner", "helm")
                        .list()
                        .getItems())
                .isEmpty();
        // the operator Deployment's ReplicaSet, (simulated) pod and leader Lease follow it through garbage collection
        Await.until(
                Duration.ofSeconds(30),
                "the operator's ReplicaSets, pods and Lease to be collected",
                () -> admin.apps()
                                .replicaSets()
                                .inNamespace(opNs)
                                .list()
                                .getItems()
                                .isEmpty()
                        && admin.pods().inNamespace(opNs).list().getItems().isEmpty()
                        && admin.leases().inNamespace(opNs).list().getItems().isEmpty());

        // and the CRD stays, with the ApiDeployment and its tiers
        assertThat(admin.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("apideployments.rollgate.dev")
                        .get())
                .isNotNull();
        assertThat(stack.app().read().path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(stack.app().tierImages()).containsValues(V1, V1);

        // and the clinic's data objects are exactly as they were: same objects, same generation, same content
        List<HasMetadata> dataAfter = dataObjects(admin, ns);
        assertThat(dataAfter).hasSameSizeAs(dataBefore);
        for (int i = 0; i < dataBefore.size(); i++) {
            HasMetadata before = dataBefore.get(i);
            HasMetadata after = dataAfter.get(i);
            assertThat(after.getMetadata().getUid())
                    .as("uid of %s", before.getMetadata().getName())
                    .isEqualTo(before.getMetadata().getUid());
            assertThat(after.getMetadata().getGeneration())
                    .as("generation of %s", before.getMetadata().getName())
                    .isEqualTo(before.getMetadata().getGeneration());
            assertThat(content(after))
                    .as("content of %s", before.getMetadata().getName())
                    .isEqualTo(content(before));
        }
    }

    /**
     * What the operator release installs, found by name: Deployment, ServiceAccount, metrics
     * Service, leader-election Role and RoleBinding in its namespace, ClusterRole and
     * ClusterRoleBinding, the view and edit ClusterRoles aggregated into the built-in ones, and Helm's
     * release record. Missing objects are simply absent from the list.
     */
    private static List<HasMetadata> operatorObjects(KubernetesClient admin, String ns, String name) {
        List<HasMetadata> found = new ArrayList<>();
        Stream.of(
                        admin.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        admin.serviceAccounts().inNamespace(ns).withName(name).get(),
                        admin.services()
                                .inNamespace(ns)
                                .withName(name + "-metrics")
                                .get(),
                        admin.rbac()
                                .roles()
                                .inNamespace(ns)
                                .withName(name + "-leader-election")
                                .get(),
                        admin.rbac()
                                .roleBindings()
                                .inNamespace(ns)
                                .withName(name + "-leader-election")
                                .get(),
                        admin.rbac().clusterRoles().withName(name).get(),
                        admin.rbac().clusterRoleBindings().withName(name).get(),
                        admin.rbac().clusterRoles().withName(name + "-view").get(),
                        admin.rbac().clusterRoles().withName(name + "-edit").get())
                .filter(o -> o != null && o.getMetadata().getDeletionTimestamp() == null)
                .forEach(found::add);
        found.addAll(admin.secrets()
                .inNamespace(ns)
                .withLabel("owner", "helm")
                .list()
                .getItems());
        return found;
    }

    /** The clinic's data: its StatefulSets, their PersistentVolumeClaims, the database Secret — in a stable order. */
    private static List<HasMetadata> dataObjects(KubernetesClient admin, String ns) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(admin.apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("clinic-postgres")
                .get());
        objects.add(admin.apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("clinic-cache")
                .get());
        objects.add(admin.secrets().inNamespace(ns).withName("clinic-db").get());
        objects.addAll(admin.persistentVolumeClaims().inNamespace(ns).list().getItems().stream()
                .sorted((a, b) ->
                        a.getMetadata().getName().compareTo(b.getMetadata().getName()))
                .toList());
        return objects;
    }

    private static Object content(HasMetadata o) {
        if (o instanceof StatefulSet s) {
            return s.getSpec();
        }
        if (o instanceof Secret s) {
            return s.getData();
        }
        if (o instanceof PersistentVolumeClaim c) {
            return List.of(c.getSpec(), c.getStatus().getPhase());
        }
        throw new IllegalArgumentException(o.getKind());
    }
}
