package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Conditions;
import dev.rollgate.operator.rollout.Reasons;
import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.Kstatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Status a pipeline can wait on, read by the real kstatus library (what Helm 4 --wait, Flux and
 * Argo CD use): InProgress while a rollout or revert runs, Current once both tiers run
 * spec.image, Failed once a rollout was reverted or aborted; and a write the API server refuses
 * (a ResourceQuota that allows no Service) shown in status and Events, never as Available.
 */
class StatusConditionsIT extends OperatorTestBase {
    private static Kstatus kstatus;

    @BeforeAll
    static void startOperator() throws Exception {
        kstatus = Kstatus.build();
        startSharedOperator("status-conditions");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void kstatusIsInProgressDuringARolloutCurrentWhenDoneAndFailedAfterARevert() {
        try (Scenario s = scenario("kstatus")) {
            String v1 = Scenario.image("1.0.0");
            String v2 = Scenario.image("2.0.0");
            String broken = Scenario.image("3.0.0-crashloop");
            Samples first = new Samples();
            s.create(v1, spec -> spec.worker.replicas = 1);
            first.until(s, "Available on 1.0.0", cr -> Scenario.isSettledOn(cr, v1));
            // (before the operator's first status write kstatus reads an object with no status as Current:
            // a limit of the library, documented in the README; from the first write on it is InProgress)
            assertThat(first.verdictsOnceObserved())
                    .as("kstatus during the first install: %s", first)
                    .containsExactly("InProgress", "Current");

            // a good rollout: InProgress from the moment the spec changes (generation ahead) until done
            s.setImage(v2);
            Samples good = new Samples();
            good.until(s, "Available on 2.0.0", cr -> Scenario.isSettledOn(cr, v2));
            assertThat(good.verdicts())
                    .as("kstatus during a good rollout: %s", good)
                    .containsExactly("InProgress", "Current");
            ApiDeployment done = s.cr().get();
            assertThat(condition(done, Reasons.READY))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", Reasons.ROLLED_OUT);
            assertThat(done.getStatus().conditions)
                    .allSatisfy(c -> assertThat(c.getObservedGeneration())
                            .as(c.getType())
                            .isEqualTo(done.getMetadata().getGeneration()));

            // a crash-looping image: InProgress through the rollout and the revert, then Failed, with the reason
            s.setImage(broken);
            Samples bad = new Samples();
            bad.until(s, "RolledBack", cr -> cr.getStatus().phase == Phase.RolledBack);
            assertThat(bad.verdicts())
                    .as("kstatus during a reverted rollout: %s", bad)
                    .containsExactly("InProgress", "Failed");
            assertThat(bad.last().message()).contains(broken, Reasons.CRASH_LOOP);
            ApiDeployment reverted = s.cr().get();
            assertThat(condition(reverted, Reasons.STALLED))
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", Reasons.ROLLED_BACK);
            assertThat(condition(reverted, Reasons.READY).getStatus()).isEqualTo("False");
            assertThat(condition(reverted, Reasons.AVAILABLE).getStatus())
                    .as("the pods of 2.0.0 serve")
                    .isEqualTo("True");
            assertThat(bad.samples)
                    .as("never Current while the tiers do not run spec.image")
                    .noneMatch(x -> x.verdict.equals("Current"));

            // a second look changes nothing: a metadata change wakes the reconciler, the status stays as it is
            String before = Json.write(s.status());
            s.annotate("example.com/unrelated", "1");
            pause(Duration.ofSeconds(3));
            assertThat(Json.write(s.status())).isEqualTo(before);
        }
    }

    @Test
    void abortStopsTheRolloutInFlightAndRevertsBothTiers() {
        try (Scenario s = scenario("abort")) {
            String v1 = Scenario.image("1.0.0");
            String slow = Scenario.image("2.0.0-unready");
            s.create(v1, spec -> {
                spec.worker.replicas = 1;
                spec.rollout.timeoutSeconds = 600;
            });
            s.awaitAvailableOn(v1, Duration.ofSeconds(90));

            // a rollout that would wait 10 minutes for pods that never turn ready
            s.setImage(slow);
            s.awaitPhase(Phase.Progressing, Duration.ofSeconds(30));
            s.annotate(ApiDeployment.ABORT_ANNOTATION, "2026-12-02T06:00:00Z");
            ApiDeploymentStatus st = s.awaitPhase(Phase.RolledBack, Duration.ofSeconds(60));
            assertThat(st.failedImage.image).isEqualTo(slow);
            assertThat(st.failedImage.reason).isEqualTo(Reasons.ABORTED);
            assertThat(st.abortHandled).isEqualTo("2026-12-02T06:00:00Z");
            assertThat(kstatus.of(s.cr().get()).status()).isEqualTo("Failed");
            s.assertBothTiersOn(v1);

            // the same token again does nothing more; the next rollout runs
            String v3 = Scenario.image("3.0.0");
            s.setImage(v3);
            s.awaitAvailableOn(v3, Duration.ofSeconds(90));
            assertThat(kstatus.of(s.cr().get()).status()).isEqualTo("Current");
        }
    }

    @Test
    void aWriteTheApiServerRefusesIsInStatusAndEventsNotAvailable() throws IOException {
        try (Scenario s = scenario("refused")) {
            // a quota that allows no Service in the namespace: the Service's create is refused (403)
            ResourceQuota quota = client.resource(new ResourceQuotaBuilder()
                            .withNewMetadata()
                            .withName("no-services")
                            .withNamespace(s.namespace)
                            .endMetadata()
                            .withNewSpec()
                            .addToHard("services", new io.fabric8.kubernetes.api.model.Quantity("0"))
                            .endSpec()
                            .build())
                    .create();
            Await.until(
                    Duration.ofSeconds(30),
                    "the quota controller to count the namespace",
                    () -> Optional.ofNullable(client.resource(quota).get().getStatus())
                            .filter(q -> q.getHard() != null && !q.getHard().isEmpty()));
            long stackFramesBefore = stackFrames();

            String v1 = Scenario.image("1.0.0");
            s.create(v1, spec -> spec.worker.replicas = 1);
            ApiDeploymentStatus refused = s.await(
                    "Synced False",
                    Duration.ofSeconds(60),
                    st -> !Conditions.isTrue(st.conditions, Reasons.SYNCED)
                            && Conditions.find(st.conditions, Reasons.SYNCED) != null);
            Condition synced = Conditions.find(refused.conditions, Reasons.SYNCED);
            assertThat(synced.getReason()).isEqualTo(Reasons.APPLY_FAILED);
            assertThat(synced.getMessage()).contains("Service clinic-api", "403", "exceeded quota");
            assertThat(Conditions.find(refused.conditions, Reasons.STALLED).getStatus())
                    .isEqualTo("True");

            // the tiers come up, but with the Service missing the phase is never Available, nor Ready
            List<String> phases = new ArrayList<>();
            pause(Duration.ofSeconds(20));
            ApiDeploymentStatus later = s.await("both tiers complete", Duration.ofSeconds(60), st -> {
                phases.add(st.phase.name());
                return st.api != null && st.api.available >= 2 && st.worker.available >= 1;
            });
            pause(Duration.ofSeconds(3));
            later = s.status();
            assertThat(later.phase).isNotEqualTo(Phase.Available);
            assertThat(phases).doesNotContain("Available");
            assertThat(Conditions.isTrue(later.conditions, Reasons.READY)).isFalse();
            assertThat(kstatus.of(s.cr().get())).satisfies(k -> {
                assertThat(k.status()).isEqualTo("Failed");
                assertThat(k.message()).contains("exceeded quota");
            });
            // one Warning Event for the refusal, however many retries (the message does not change)
            assertThat(s.events(Reasons.APPLY_FAILED)).hasSize(1).allSatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains("exceeded quota");
            });
            assertThat(stackFrames()).as("no stack trace in the operator's log").isEqualTo(stackFramesBefore);
            assertThat(Files.readAllLines(operator.log()).stream()
                            .filter(l -> l.contains("exceeded quota"))
                            .count())
                    .as("one log line for the refusal, not one per retry")
                    .isEqualTo(1L);

            // the quota lifted: the next attempt (backoff) creates the Service; Available and Ready
            client.resource(quota).delete();
            ApiDeploymentStatus ok = s.awaitAvailableOn(v1, Duration.ofSeconds(90));
            assertThat(Conditions.find(ok.conditions, Reasons.SYNCED).getStatus())
                    .isEqualTo("True");
            assertThat(Conditions.isTrue(ok.conditions, Reasons.READY)).isTrue();
            assertThat(client.services()
                            .inNamespace(s.namespace)
                            .withName("clinic-api")
                            .get())
                    .isNotNull();
            assertThat(s.events(Reasons.APPLIED)).hasSize(1);
        }
    }

    @Test
    void deletingTheNamespaceMidRolloutLeavesNoStackTrace() {
        long before = stackFrames();
        Scenario s = scenario("ns-delete");
        s.create(Scenario.image("1.0.0"), spec -> spec.worker.replicas = 1);
        s.awaitAvailableOn(Scenario.image("1.0.0"), Duration.ofSeconds(90));
        s.setImage(Scenario.image("2.0.0-unready"));
        s.awaitPhase(Phase.Progressing, Duration.ofSeconds(30));
        s.deleteNamespace();
        Await.until(
                Duration.ofSeconds(90),
                "namespace " + s.namespace + " gone",
                () -> client.namespaces().withName(s.namespace).get() == null ? Optional.of(true) : Optional.empty());
        pause(Duration.ofSeconds(3));
        assertThat(stackFrames())
                .as("stack traces in the operator's log after the namespace went")
                .isEqualTo(before);
    }

    /** Lines of Java stack frames in the shared operator's log so far. */
    private static long stackFrames() {
        try {
            return Files.readAllLines(operator.log()).stream()
                    .filter(l -> l.startsWith("\tat "))
                    .count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Condition condition(ApiDeployment cr, String type) {
        return Conditions.find(cr.getStatus().conditions, type);
    }

    /** kstatus verdicts sampled every 100 ms, with the phase each was read at. */
    private static final class Samples {
        record Sample(String phase, String verdict, String message) {}

        final List<Sample> samples = new ArrayList<>();

        void until(Scenario s, String what, Predicate<ApiDeployment> done) {
            Await.until(Duration.ofSeconds(120), what, () -> {
                ApiDeployment cr = s.cr().get();
                Kstatus.Result k = kstatus.of(cr);
                ApiDeploymentStatus st = cr.getStatus();
                samples.add(
                        new Sample(st == null || st.phase == null ? "-" : st.phase.name(), k.status(), k.message()));
                return st != null
                                && done.test(cr)
                                && cr.getMetadata().getGeneration().equals(st.observedGeneration)
                        ? Optional.of(true)
                        : Optional.empty();
            });
        }

        /** The verdicts in the order first seen, repeats folded. */
        List<String> verdicts() {
            return fold(samples);
        }

        /** The same, from the operator's first status write on. */
        List<String> verdictsOnceObserved() {
            return fold(samples.stream().filter(x -> !x.phase.equals("-")).toList());
        }

        private static List<String> fold(List<Sample> samples) {
            List<String> out = new ArrayList<>();
            for (Sample x : samples) {
                if (out.isEmpty() || !out.get(out.size() - 1).equals(x.verdict)) {
                    out.add(x.verdict);
                }
            }
            return out;
        }

        Kstatus.Result last() {
            Sample x = samples.get(samples.size() - 1);
            return new Kstatus.Result(x.verdict, x.message);
        }

        @Override
        public String toString() {
            Set<String> seen = new LinkedHashSet<>();
            samples.forEach(x -> seen.add(x.phase + "->" + x.verdict));
            return String.join(", ", seen);
        }
    }
}
