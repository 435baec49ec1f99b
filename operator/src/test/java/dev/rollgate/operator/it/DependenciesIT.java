package dev.rollgate.operator.it;

import static dev.rollgate.operator.it.Scenario.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Reasons;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stateful tiers: while one is not ready nothing is rolled or judged, and the operator never
 * writes a StatefulSet (its RBAC cannot; the audit log shows no such request; spec and
 * generation stay as the test left them).
 */
class DependenciesIT extends OperatorTestBase {

    @BeforeAll
    static void startOperator() throws Exception {
        startSharedOperator("dependencies");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void aRolloutWaitsForItsDependenciesAndTouchesNoDeploymentMeanwhile() throws Exception {
        try (Scenario s = scenario("deps")) {
            // given a database whose pod never becomes ready, and a ready cache
            StatefulSets.create(client, s.namespace, "clinic-postgres", "postgres:15-unready");
            StatefulSets.create(client, s.namespace, "clinic-cache", "redis:7");
            StatefulSets.awaitReady(client, s.namespace, "clinic-cache");

            // when an ApiDeployment depending on both is created
            s.create(
                    image("1.0.0"),
                    spec -> spec.dependencies.statefulSets.addAll(List.of("clinic-postgres", "clinic-cache")));

            // then it waits, says why, and creates no Deployment
            ApiDeploymentStatus waiting = s.awaitPhase(Phase.WaitingForDependencies, Duration.ofSeconds(30));
            assertThat(StatusConditions.status(waiting, Reasons.DEPENDENCIES_READY))
                    .isEqualTo("False");
            assertThat(dev.rollgate.operator.rollout.Conditions.find(waiting.conditions, Reasons.DEPENDENCIES_READY)
                            .getMessage())
                    .contains("clinic-postgres")
                    .doesNotContain("clinic-cache");
            Thread.sleep(3000);
            assertThat(s.deployment("api")).as("no Deployment while waiting").isNull();
            assertThat(s.deployment("worker")).isNull();

            // when the database becomes ready (the test, as an admin, fixes its image)
            client.apps()
                    .statefulSets()
                    .inNamespace(s.namespace)
                    .withName("clinic-postgres")
                    .edit(sts -> {
                        sts.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .setImage("postgres:15");
                        return sts;
                    });
            client.pods().inNamespace(s.namespace).withName("clinic-postgres-0").delete();
            StatefulSets.awaitReady(client, s.namespace, "clinic-postgres");
            var before = snapshot(s, "clinic-postgres", "clinic-cache");

            // then the rollout proceeds on its own
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(60));

            // and a later rollout during a database outage holds without judging the image
            var cache = client.apps().statefulSets().inNamespace(s.namespace).withName("clinic-cache");
            cache.edit(sts -> {
                sts.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("redis:7-unready");
                return sts;
            });
            client.pods().inNamespace(s.namespace).withName("clinic-cache-0").delete();
            cache.waitUntilCondition(
                    sts -> sts.getStatus().getObservedGeneration()
                                    >= sts.getMetadata().getGeneration()
                            && (sts.getStatus().getReadyReplicas() == null
                                    || sts.getStatus().getReadyReplicas() == 0),
                    60,
                    java.util.concurrent.TimeUnit.SECONDS);
            s.setImage(image("2.0.0"));
            s.awaitPhase(Phase.WaitingForDependencies, Duration.ofSeconds(30));
            assertThat(s.tierImage("api"))
                    .as("nothing rolled while the cache is down")
                    .isEqualTo(image("1.0.0"));

            // the StatefulSets the operator depends on are exactly as the test left them
            var postgres = client.apps()
                    .statefulSets()
                    .inNamespace(s.namespace)
                    .withName("clinic-postgres")
                    .get();
            assertThat(postgres.getMetadata().getGeneration())
                    .isEqualTo(before.get(0).getMetadata().getGeneration());
            assertThat(postgres.getSpec()).isEqualTo(before.get(0).getSpec());
            assertThat(writesToStatefulSetsBy(identity.username())).isEmpty();
            assertThat(requestsBy(identity.username()))
                    .as("the audit log does record the operator's requests")
                    .isPositive();
        }
    }

    @Test
    void theOperatorsIdentityCannotWriteAStatefulSet() {
        try (Scenario s = scenario("rbac")) {
            StatefulSets.create(client, s.namespace, "clinic-postgres", "postgres:15");
            try (var asOperator = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(read(identity.kubeconfig())))
                    .build()) {
                var sts = asOperator
                        .apps()
                        .statefulSets()
                        .inNamespace(s.namespace)
                        .withName("clinic-postgres");
                assertThat(sts.get()).as("it may read").isNotNull();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> sts.scale(3))
                        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                        .hasMessageContaining("forbidden");
                org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                                asOperator.secrets().inNamespace(s.namespace).list())
                        .hasMessageContaining("forbidden");
            }
        }
    }

    private List<StatefulSet> snapshot(Scenario s, String... names) {
        return java.util.Arrays.stream(names)
                .map(n -> client.apps()
                        .statefulSets()
                        .inNamespace(s.namespace)
                        .withName(n)
                        .get())
                .toList();
    }

    private static String read(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
