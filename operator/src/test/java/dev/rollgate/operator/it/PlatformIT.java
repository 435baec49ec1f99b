package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Autoscaling;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.PodOverlay;
import dev.rollgate.operator.reconciler.ApiDeploymentReconciler;
import dev.rollgate.operator.rollout.Reasons;
import dev.rollgate.testkit.AuditEvent;
import dev.rollgate.testkit.AuditLog;
import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.LocalKubernetes;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the api tier fits the cluster's own machinery, on the real controllers: a
 * HorizontalPodAutoscaler owns its scale (Rollgate never writes the replicas, even while it rolls
 * the tier), a PodDisruptionBudget holds a drain to one pod at a time (through the eviction
 * API), and Pod Security Admission refuses a privileged pod, which the ApiDeployment reports.
 */
class PlatformIT extends OperatorTestBase {

    @BeforeAll
    static void startOperator() throws Exception {
        startSharedOperator("platform");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void theHpaScalesTheApiTierDuringARolloutAndRollgateNeverWritesItsReplicas() {
        try (Scenario s = scenario("hpa")) {
            String v1 = Scenario.image("1.0.0");
            String v2 = Scenario.image("2.0.0");
            s.create(v1, spec -> {
                spec.api.replicas = 7; // ignored under autoscaling
                spec.api.autoscaling = autoscaling(2, 6);
                spec.worker.replicas = 1;
            });
            // the HPA (no metrics here) brings the new Deployment from the API server's default 1 to its minimum 2
            s.awaitAvailableOn(v1, Duration.ofSeconds(90), st -> st.api.replicas == 2 && st.api.available == 2);
            var hpa = client.autoscaling()
                    .v2()
                    .horizontalPodAutoscalers()
                    .inNamespace(s.namespace)
                    .withName("clinic-api")
                    .get();
            assertThat(hpa.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getKind()).isEqualTo("ApiDeployment"));

            // when a rollout starts and, while it runs, the HPA's minimum rises to 4 (the HPA scales the tier)
            AuditLog audit = LocalKubernetes.get().auditLog();
            s.cr().edit(cr -> {
                cr.getSpec().image = v2;
                cr.getSpec().api.pod = slowPods("4s");
                cr.getSpec().api.autoscaling.minReplicas = 4;
                return cr;
            });
            ApiDeploymentStatus done = s.awaitAvailableOn(
                    v2, Duration.ofSeconds(120), st -> st.api.replicas == 4 && st.api.available == 4);
            assertThat(done.ready).isEqualTo("5/5");
            assertThat(done.history)
                    .last()
                    .satisfies(h -> assertThat(h.result.name()).isEqualTo("Succeeded"));

            // then the scale is the HPA's: Rollgate's field manager does not own spec.replicas
            Deployment api = s.deployment("api");
            assertThat(api.getSpec().getReplicas()).isEqualTo(4);
            List<ManagedFieldsEntry> owners = api.getMetadata().getManagedFields().stream()
                    .filter(f -> f.getFieldsV1() != null
                            && f.getFieldsV1()
                                    .getAdditionalProperties()
                                    .toString()
                                    .contains("f:replicas"))
                    .toList();
            assertThat(owners)
                    .extracting(ManagedFieldsEntry::getManager)
                    .doesNotContain(ApiDeploymentReconciler.FIELD_MANAGER);
            // and once done nothing fights: no write to the api Deployment by the operator in a quiet period
            AuditLog.Mark quiet = audit.mark();
            pause(Duration.ofSeconds(20)); // longer than the HPA's 15 s sync period
            List<AuditEvent> writes = audit.eventsSince(quiet).stream()
                    .filter(e -> identity.username().equals(e.username())
                            && "deployments".equals(e.resource())
                            && "clinic-api".equals(e.name()))
                    .toList();
            assertThat(writes)
                    .as("the operator's writes to the api Deployment after the rollout")
                    .isEmpty();
            assertThat(s.deployment("api").getSpec().getReplicas()).isEqualTo(4);
        }
    }

    @Test
    void theDisruptionBudgetLetsADrainEvictOneApiPodAtATime() {
        try (Scenario s = scenario("pdb")) {
            String v1 = Scenario.image("1.0.0");
            s.create(v1, spec -> {
                spec.api.replicas = 3;
                spec.api.pod = slowPods("15s"); // an evicted pod's replacement is not ready at once
                spec.worker.replicas = 1;
            });
            s.awaitAvailableOn(v1, Duration.ofSeconds(90));
            var pdb = Await.until(
                    Duration.ofSeconds(30),
                    "the disruption controller to count the budget",
                    () -> Optional.ofNullable(client.policy()
                                    .v1()
                                    .podDisruptionBudget()
                                    .inNamespace(s.namespace)
                                    .withName("clinic-api")
                                    .get())
                            .filter(b -> b.getStatus() != null
                                    && b.getStatus().getCurrentHealthy() != null
                                    && b.getStatus().getCurrentHealthy() == 3));
            assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
            assertThat(pdb.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getKind()).isEqualTo("ApiDeployment"));

            // when a drain evicts the api pods one after the other: the first goes, the second is refused (429)
            List<Pod> pods = client.pods()
                    .inNamespace(s.namespace)
                    .withLabel("app.kubernetes.io/component", "api")
                    .list()
                    .getItems();
            assertThat(pods).hasSize(3);
            assertThat(evict(s, pods.get(0))).as("first eviction").isTrue();
            assertThat(evict(s, pods.get(1)))
                    .as("second eviction, one pod already down")
                    .isFalse();

            // and one api pod: no budget (it would block every drain)
            s.cr().edit(cr -> {
                cr.getSpec().api.replicas = 1;
                return cr;
            });
            Await.until(
                    Duration.ofSeconds(30),
                    "the budget deleted",
                    () -> client.policy()
                                    .v1()
                                    .podDisruptionBudget()
                                    .inNamespace(s.namespace)
                                    .withName("clinic-api")
                                    .get()
                            == null);
        }
    }

    @Test
    void podSecurityAdmissionRefusingThePodsFailsTheRolloutWithTheReason() {
        try (Scenario s = scenario("psa")) {
            // a namespace that enforces the baseline Pod Security Standard: no privileged containers
            client.namespaces().withName(s.namespace).edit(ns -> {
                ns.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "baseline");
                return ns;
            });
            String v1 = Scenario.image("1.0.0");
            String v2 = Scenario.image("2.0.0");
            s.create(v1, spec -> spec.worker.replicas = 1);
            s.awaitAvailableOn(v1, Duration.ofSeconds(90));

            // when the next rollout asks for a privileged container
            s.cr().edit(cr -> {
                cr.getSpec().image = v2;
                cr.getSpec().api.pod = new PodOverlay();
                cr.getSpec().api.pod.containerSecurityContext =
                        new SecurityContextBuilder().withPrivileged(true).build();
                return cr;
            });
            // then the API server refuses its pods, and the ApiDeployment says so at once (fail fast). The
            // revert restores the image, not the overlay: its pods are refused too, and the status says
            // that as well, while the pods of 1.0.0 that were never replaced go on serving.
            ApiDeploymentStatus st = s.awaitPhase(Phase.Failed, Duration.ofSeconds(90));
            assertThat(st.failedImage.image).isEqualTo(v2);
            assertThat(st.failedImage.reason).isEqualTo(Reasons.FAILED_CREATE);
            assertThat(st.failedImage.message).contains("violates PodSecurity", "baseline", "privileged");
            var stalled = dev.rollgate.operator.rollout.Conditions.find(st.conditions, Reasons.STALLED);
            assertThat(stalled.getStatus()).isEqualTo("True");
            assertThat(stalled.getReason()).isEqualTo(Reasons.REVERT_FAILED);
            assertThat(stalled.getMessage()).contains("violates PodSecurity");
            assertThat(st.api.available).as("the old api pods still serve").isEqualTo(2);
        }
    }

    /**
     * The eviction API, as kubectl drain calls it: false when the budget refuses (429). Asked once:
     * the client would otherwise retry a 429 until the budget allows it.
     */
    private static boolean evict(Scenario s, Pod pod) {
        var once = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0)
                .build();
        try (var c = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(once)
                .build()) {
            return c.pods()
                    .inNamespace(s.namespace)
                    .withName(pod.getMetadata().getName())
                    .evict();
        }
    }

    private static Autoscaling autoscaling(int min, int max) {
        Autoscaling a = new Autoscaling();
        a.minReplicas = min;
        a.maxReplicas = max;
        return a;
    }
}
