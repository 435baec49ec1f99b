package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.AuditEvent;
import dev.rollgate.testkit.AuditLog;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorIdentity;
import dev.rollgate.testkit.OperatorProcess;
import dev.rollgate.testkit.RollgateCrd;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A fleet split across two operator releases by label (the chart's watch.labelSelector, which sets
 * QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_SELECTOR): each release, under its own
 * ServiceAccount, reconciles exactly the ApiDeployments of its shard — the audit log names who
 * wrote what — and one without a shard label is reconciled by neither.
 */
class ShardingIT {
    private static final String V1 = "registry.example.com/clinic:1.0.0";
    private static final String V2 = "registry.example.com/clinic:2.0.0";
    private static final String SHARD = "rollgate.dev/shard";

    @Test
    void twoShardsNeverReconcileTheSameApiDeployment() throws Exception {
        KubernetesClient client = LocalKubernetes.get().client();
        RollgateCrd.ensureInstalled(client);
        // two releases of the chart: two ServiceAccounts with the same rules (the chart's watch values
        // only set the operator's environment, given to the processes below as the chart would)
        OperatorIdentity a = OperatorIdentity.install(client, "rollgate-shard-a", Map.of());
        OperatorIdentity b = OperatorIdentity.install(client, "rollgate-shard-b", Map.of());
        String ns = "shards-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
        AuditLog audit = LocalKubernetes.get().auditLog();
        AuditLog.Mark before = audit.mark();
        try (OperatorProcess shardA = OperatorProcess.start(
                        a.kubeconfig(),
                        "shard-a",
                        Map.of("QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_SELECTOR", SHARD + "=a"));
                OperatorProcess shardB = OperatorProcess.start(
                        b.kubeconfig(),
                        "shard-b",
                        Map.of("QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_SELECTOR", SHARD + "=b"))) {
            for (String name : List.of("a1", "a2", "b1", "b2", "none")) {
                client.resource(apid(ns, name, name.equals("none") ? null : name.substring(0, 1)))
                        .create();
            }
            for (String name : List.of("a1", "a2", "b1", "b2")) {
                awaitAvailable(client, ns, name, V1);
            }
            // and a rollout, to give both shards more to do at once
            for (String name : List.of("a1", "a2", "b1", "b2")) {
                client.resources(ApiDeployment.class)
                        .inNamespace(ns)
                        .withName(name)
                        .edit(cr -> {
                            cr.getSpec().image = V2;
                            return cr;
                        });
            }
            for (String name : List.of("a1", "a2", "b1", "b2")) {
                awaitAvailable(client, ns, name, V2);
            }

            List<AuditEvent> writes = audit.eventsSince(before).stream()
                    .filter(e -> ns.equals(e.namespace()) && !"events".equals(e.resource()))
                    .filter(e ->
                            e.username().equals(a.username()) || e.username().equals(b.username()))
                    .toList();
            assertThat(objectsWrittenBy(writes, a.username()))
                    .as("written by shard a")
                    .isNotEmpty()
                    .allMatch(o -> o.startsWith("a"));
            assertThat(objectsWrittenBy(writes, b.username()))
                    .as("written by shard b")
                    .isNotEmpty()
                    .allMatch(o -> o.startsWith("b"));
            var none = client.resources(ApiDeployment.class)
                    .inNamespace(ns)
                    .withName("none")
                    .get()
                    .getStatus();
            assertThat(none == null ? null : none.observedGeneration)
                    .as("an ApiDeployment of no shard is nobody's: no status")
                    .isNull();
            assertThat(audit.eventsSince(before))
                    .as("no write to it but its create")
                    .noneMatch(e -> "none".equals(e.name()) && !"create".equals(e.verb()));
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(ns)
                            .withName("none-api")
                            .get())
                    .isNull();
        } finally {
            client.namespaces().withName(ns).delete();
        }
    }

    /** The names of the objects (ApiDeployment, Deployments, Service) a user wrote, e.g. a1, a1-api. */
    private static Set<String> objectsWrittenBy(List<AuditEvent> writes, String user) {
        return writes.stream()
                .filter(e -> e.username().equals(user))
                .map(AuditEvent::name)
                .collect(Collectors.toSet());
    }

    private static ApiDeployment apid(String ns, String name, String shard) {
        ApiDeployment cr = Scenario.apiDeployment(ns, name, V1, spec -> {
            spec.api.replicas = 1;
            spec.worker.replicas = 1;
            spec.rollout.timeoutSeconds = 60;
        });
        if (shard != null) {
            cr.getMetadata().setLabels(Map.of(SHARD, shard));
        }
        return cr;
    }

    private static void awaitAvailable(KubernetesClient client, String ns, String name, String image) {
        new ApiDeploymentView(client, ns, name).awaitPhase(Phase.Available.name(), image, Duration.ofSeconds(90));
    }
}
