package dev.rollgate.operator.it;

import static dev.rollgate.operator.it.Scenario.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Reasons;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollout on a real API server with real controllers: the operator runs as a process under
 * the Helm chart's ServiceAccount; KWOK's image-tag rules make pods ready or fail.
 */
class RolloutIT extends OperatorTestBase {

    @BeforeAll
    static void startOperator() throws Exception {
        startSharedOperator("rollout");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void newApiDeploymentCreatesBothTiersAndTheServiceThenBecomesAvailable() {
        try (Scenario s = scenario("create")) {
            // given an ApiDeployment with a shared variable
            s.create(
                    image("1.0.0"),
                    spec -> spec.env.add(new EnvVarBuilder()
                            .withName("CLINIC_GREETING")
                            .withValue("hello")
                            .build()));
            // when its pods become ready
            ApiDeploymentStatus st = s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(60));
            // then both tiers and the Service exist, shaped as the spec says
            assertThat(st.api.ready).isEqualTo(2);
            assertThat(st.worker.ready).isEqualTo(1);
            assertThat(st.ready).isEqualTo("3/3");
            assertThat(st.lastKnownGood.image).isEqualTo(image("1.0.0"));
            for (String tier : List.of("api", "worker")) {
                Deployment d = s.deployment(tier);
                assertThat(d.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/managed-by", "rollgate")
                        .containsEntry("app.kubernetes.io/component", tier)
                        .containsEntry("app.kubernetes.io/instance", "clinic");
                assertThat(d.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(o -> assertThat(o.getKind()).isEqualTo("ApiDeployment"));
                assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(120);
                var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
                assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
                assertThat(c.getEnv()).extracting(EnvVar::getName).contains("ROLLGATE_ROLE", "CLINIC_GREETING");
                assertThat(c.getEnv())
                        .filteredOn(e -> e.getName().equals("ROLLGATE_ROLE"))
                        .singleElement()
                        .extracting(EnvVar::getValue)
                        .isEqualTo(tier);
                assertThat(c.getPorts())
                        .extracting(ContainerPort::getContainerPort)
                        .containsExactly(8080);
                assertThat(d.getMetadata().getManagedFields()).anySatisfy(f -> {
                    assertThat(f.getManager()).isEqualTo("rollgate");
                    assertThat(f.getOperation()).isEqualTo("Apply");
                });
            }
            var svc = client.services()
                    .inNamespace(s.namespace)
                    .withName("clinic-api")
                    .get();
            assertThat(svc.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "api");
            assertThat(StatusConditions.status(st, Reasons.AVAILABLE)).isEqualTo("True");
        }
    }

    @Test
    void goodRolloutSnapshotsLastKnownGoodBeforeEitherDeploymentChanges() throws Exception {
        try (Scenario s = scenario("good")) {
            s.create(image("1.0.0"), spec -> {});
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(60));

            // watch both the ApiDeployment and the Deployments: the etcd revision (resourceVersion) of the
            // first status carrying the snapshot must come before that of the first Deployment on v2.
            AtomicLong snapshotRevision = new AtomicLong(Long.MAX_VALUE);
            AtomicLong firstPatchRevision = new AtomicLong(Long.MAX_VALUE);
            try (Watch crs = s.cr().watch(new Recorder<>(
                            cr -> cr.getStatus() != null
                                    && image("2.0.0").equals(cr.getStatus().targetImage)
                                    && cr.getStatus().lastKnownGood != null
                                    && image("1.0.0").equals(cr.getStatus().lastKnownGood.image),
                            snapshotRevision));
                    Watch deps = client.apps()
                            .deployments()
                            .inNamespace(s.namespace)
                            .watch(new Recorder<Deployment>(
                                    d -> image("2.0.0")
                                            .equals(d.getSpec()
                                                    .getTemplate()
                                                    .getSpec()
                                                    .getContainers()
                                                    .get(0)
                                                    .getImage()),
                                    firstPatchRevision))) {
                s.setImage(image("2.0.0"));
                ApiDeploymentStatus st = s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));
                s.assertBothTiersOn(image("2.0.0"));
                assertThat(snapshotRevision.get()).as("snapshot recorded").isLessThan(Long.MAX_VALUE);
                assertThat(snapshotRevision.get())
                        .as("snapshot before the first Deployment patch")
                        .isLessThan(firstPatchRevision.get());
                assertThat(st.history).last().satisfies(h -> {
                    assertThat(h.image).isEqualTo(image("2.0.0"));
                    assertThat(h.result).isEqualTo(HistoryEntry.Result.Succeeded);
                });
                assertThat(st.lastKnownGood.image).isEqualTo(image("2.0.0"));
            }
        }
    }

    @Test
    void crashLoopIsRevertedWithoutWaitingForTheDeadlineAndNeverRolledAgain() throws Exception {
        try (Scenario s = scenario("crash")) {
            s.create(image("2.0.0"), spec -> spec.rollout.timeoutSeconds = 300);
            s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));

            Instant changed = Instant.now();
            s.setImage(image("3.0.0-crashloop"));
            ApiDeploymentStatus st = s.awaitPhase(Phase.RolledBack, Duration.ofSeconds(90));
            Duration took = Duration.between(changed, Instant.now());

            assertThat(took).as("detected long before the 300 s deadline").isLessThan(Duration.ofSeconds(90));
            s.assertBothTiersOn(image("2.0.0"));
            assertThat(st.image).isEqualTo(image("2.0.0"));
            assertThat(st.failedImage.image).isEqualTo(image("3.0.0-crashloop"));
            assertThat(st.failedImage.reason).isEqualTo(Reasons.CRASH_LOOP);
            assertThat(StatusConditions.status(st, Reasons.DEGRADED)).isEqualTo("True");
            assertThat(st.history)
                    .last()
                    .satisfies(h -> assertThat(h.result).isEqualTo(HistoryEntry.Result.RolledBack));
            assertThat(s.events())
                    .anySatisfy(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getReason()).isEqualTo(Reasons.ROLLOUT_FAILED);
                    })
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo(Reasons.ROLLED_BACK));

            // and over the following minute the failed image is never rolled again
            Instant until = Instant.now().plusSeconds(60);
            while (Instant.now().isBefore(until)) {
                assertThat(s.tierImage("api")).isEqualTo(image("2.0.0"));
                assertThat(s.tierImage("worker")).isEqualTo(image("2.0.0"));
                assertThat(s.status().phase).isEqualTo(Phase.RolledBack);
                Thread.sleep(2000);
            }
        }
    }

    @Test
    void anImageWhosePodsNeverBecomeReadyIsRevertedAtTheDeadline() {
        try (Scenario s = scenario("unready")) {
            s.create(image("2.0.0"), spec -> spec.rollout.timeoutSeconds = 20);
            s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));

            Instant changed = Instant.now();
            s.setImage(image("3.0.0-unready"));
            ApiDeploymentStatus st = s.awaitPhase(Phase.RolledBack, Duration.ofSeconds(90));

            assertThat(Duration.between(changed, Instant.now()))
                    .as("not before the 20 s deadline")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(19));
            s.assertBothTiersOn(image("2.0.0"));
            assertThat(st.failedImage.image).isEqualTo(image("3.0.0-unready"));
            assertThat(st.failedImage.reason).isIn(Reasons.PROGRESS_DEADLINE_EXCEEDED, Reasons.ROLLOUT_TIMEOUT);
        }
    }

    @Test
    void aNewImageDuringARolloutSupersedesItAndKeepsLastKnownGood() {
        try (Scenario s = scenario("supersede")) {
            s.create(image("2.0.0"), spec -> spec.rollout.timeoutSeconds = 300);
            s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));

            s.setImage(image("3.0.0-unready"));
            s.await(
                    "rolling to v3",
                    Duration.ofSeconds(30),
                    st -> image("3.0.0-unready").equals(st.targetImage)
                            && image("3.0.0-unready").equals(s.tierImage("api")));
            s.setImage(image("4.0.0"));
            ApiDeploymentStatus during = s.await(
                    "superseded", Duration.ofSeconds(30), st -> image("4.0.0").equals(st.targetImage));
            assertThat(during.lastKnownGood.image).isEqualTo(image("2.0.0"));

            ApiDeploymentStatus st = s.awaitAvailableOn(image("4.0.0"), Duration.ofSeconds(60));
            s.assertBothTiersOn(image("4.0.0"));
            assertThat(st.history).anySatisfy(h -> {
                assertThat(h.image).isEqualTo(image("3.0.0-unready"));
                assertThat(h.result).isEqualTo(HistoryEntry.Result.Superseded);
            });
        }
    }

    @Test
    void deletingTheApiDeploymentCollectsItsObjectsButNotTheStatefulSets() {
        try (Scenario s = scenario("delete")) {
            StatefulSets.create(client, s.namespace, "clinic-postgres", "postgres:15");
            StatefulSets.awaitReady(client, s.namespace, "clinic-postgres");
            s.create(image("1.0.0"), spec -> spec.dependencies.statefulSets.add("clinic-postgres"));
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(60));

            s.cr().delete();
            client.apps()
                    .deployments()
                    .inNamespace(s.namespace)
                    .withLabel("app.kubernetes.io/instance", "clinic")
                    .informOnCondition(List::isEmpty)
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            client.services()
                    .inNamespace(s.namespace)
                    .withName("clinic-api")
                    .waitUntilCondition(java.util.Objects::isNull, 60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(client.apps()
                            .statefulSets()
                            .inNamespace(s.namespace)
                            .withName("clinic-postgres")
                            .get())
                    .as("the StatefulSet stays")
                    .isNotNull();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Records the resourceVersion of the first watched object that matches. */
    static final class Recorder<T extends io.fabric8.kubernetes.api.model.HasMetadata> implements Watcher<T> {
        private final java.util.function.Predicate<T> match;
        private final AtomicLong revision;

        Recorder(java.util.function.Predicate<T> match, AtomicLong revision) {
            this.match = match;
            this.revision = revision;
        }

        @Override
        public void eventReceived(Action action, T resource) {
            if (match.test(resource)) {
                long rv = Long.parseLong(resource.getMetadata().getResourceVersion());
                revision.accumulateAndGet(rv, Math::min);
            }
        }

        @Override
        public void onClose(WatcherException cause) {}
    }

    static final Map<String, String> NONE = Map.of();
}
