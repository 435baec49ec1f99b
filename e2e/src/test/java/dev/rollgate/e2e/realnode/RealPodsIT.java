package dev.rollgate.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.scenario.EndToEnd;
import dev.rollgate.e2e.scenario.RollgateStack;
import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.PhaseTimeline;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rollouts of real clinic containers on the real node: the kubelet's readiness probe hits clinic's
 * {@code /q/health/ready}, which reports its await-ready data layer against a real PostgreSQL
 * reached through cluster DNS and kube-proxy. Every failure here has a real cause — a migration
 * that fails against the live schema, a release that exits at start, the database pod gone — and
 * no image-tag rule of the simulated nodes is involved (those nodes are not used: every pod is
 * placed on the real node).
 */
@EndToEnd
class RealPodsIT extends RealNodeReleases {
    private static final Duration FIRST_INSTALL = Duration.ofMinutes(5);
    private static final Duration ROLLOUT = Duration.ofMinutes(4);

    @Test
    void goodRolloutAndCrashRevertUnderTrafficLoseNoRequestAndWriteEveryRowOnce(RollgateStack stack) {
        // given clinic on the real node, serving
        install(stack, releases.good(), 300);
        ClinicTraffic traffic = ClinicTraffic.start(stack.admin(), stack.appNamespace(), "clinic-api");
        Await.until(
                Duration.ofSeconds(60), "the first creates through the service proxy", () -> traffic.succeeded() >= 5);

        // when a good release is rolled out under traffic, then it completes
        Instant rolled = Instant.now();
        JsonNode status;
        try (ReadinessWatch watch =
                ReadinessWatch.start(stack.admin(), stack.appNamespace(), System.err, "  [readiness] ")) {
            stack.rollOnRealNode(node, releases.good2(), rollout(300));
            status = stack.app().awaitPhase("Available", releases.good2(), ROLLOUT, timeline(stack));
            Instant available = Instant.now();
            printRolloutFigures(stack, watch, rolled, available);
        }
        assertThat(stack.app().tierImages().values()).containsOnly(releases.good2());
        // known-good is the digest the gated pods ran, as the kubelet reported it
        String goodDigest = status.path("lastKnownGood").path("digest").asText("");
        assertThat(goodDigest).as("lastKnownGood.digest").matches("sha256:[a-f0-9]{64}");
        // (the old release's pods may still be serving out their shutdown delay: only the new ones count)
        assertThat(stack.clinicTierPods())
                .filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null
                        && releases.good2()
                                .equals(p.getSpec().getContainers().get(0).getImage()))
                .hasSize(3)
                .allSatisfy(p -> assertThat(
                                p.getStatus().getContainerStatuses().get(0).getImageID())
                        .endsWith("/rollgate/clinic@" + goodDigest));

        // when a release that exits at start is rolled out under traffic
        Instant broken = Instant.now();
        stack.rollOnRealNode(node, releases.crash(), rollout(300));

        // then its pods crash-loop for real and it is reverted at once, long before its 300 s deadline
        status = stack.app().awaitPhase("RolledBack", releases.good2(), ROLLOUT, timeline(stack));
        double revertedAfter = seconds(broken, Instant.now());
        System.err.printf(
                "[real-pods] crash at start -> both tiers back on the last known-good image: %.1f s%n", revertedAfter);
        assertThat(status.path("failedImage").path("image").asText()).isEqualTo(releases.crash());
        assertThat(status.path("failedImage").path("reason").asText()).isEqualTo("CrashLoopBackOff");
        assertThat(revertedAfter).as("a fail-fast revert, not the deadline").isLessThan(150);
        // both tiers back on the exact bits that passed the gate: the known-good digest, not the tag
        assertThat(stack.app().tierImages().values()).containsOnly("rollgate/clinic@" + goodDigest);
        assertThat(status.path("image").asText()).isEqualTo(releases.good2());

        // and through both, no request failed and every create is one row
        assertNoRequestLostAndEveryRowOnce(stack, traffic);
    }

    @Test
    void aMigrationThatFailsAgainstTheLiveSchemaKeepsItsPodsUnreadyAndIsRevertedAtTheDeadline(RollgateStack stack) {
        // given clinic on the real node, serving, and its schema
        install(stack, releases.good(), 45);
        String knownGoodDigest =
                stack.app().status().path("lastKnownGood").path("digest").asText("");
        assertThat(knownGoodDigest)
                .as("lastKnownGood.digest of the first install")
                .matches("sha256:[a-f0-9]{64}");
        ClinicDatabase db = database(stack);
        List<String> schemaBefore = db.schema();
        ClinicTraffic traffic = ClinicTraffic.start(stack.admin(), stack.appNamespace(), "clinic-api");
        Await.until(
                Duration.ofSeconds(60), "the first creates through the service proxy", () -> traffic.succeeded() >= 5);

        // when a release whose new migration fails against the live schema is rolled out
        Instant rolled = Instant.now();
        stack.rollOnRealNode(node, releases.badMigration(), rollout(45));

        // then its pods run but are not ready: the data layer is not, while the process is alive
        Pod fresh = awaitRunningPod(stack, releases.badMigration());
        String pod = fresh.getMetadata().getName();
        Await.until(
                Duration.ofSeconds(60),
                "the failed migration in " + pod + "'s log",
                () -> log(stack, pod).contains("to version \"3 - add patient contact columns\" failed"));
        assertThat(health(stack, pod, "/q/health/ready"))
                .as("readiness of %s", pod)
                .isEqualTo(503);
        assertThat(health(stack, pod, "/q/health/live"))
                .as("liveness of %s", pod)
                .isEqualTo(200);

        // and at the deadline both tiers go back, while the old pods served throughout
        JsonNode status = stack.app().awaitPhase("RolledBack", releases.good(), ROLLOUT, timeline(stack));
        System.err.printf(
                "[real-pods] failing migration -> reverted at the 45 s deadline: %.1f s after helm upgrade%n",
                seconds(rolled, Instant.now()));
        assertThat(status.path("failedImage").path("image").asText()).isEqualTo(releases.badMigration());
        assertThat(status.path("failedImage").path("reason").asText())
                .isIn("ProgressDeadlineExceeded", "RolloutTimeout");
        assertThat(stack.app().tierImages().values()).containsOnly("rollgate/clinic@" + knownGoodDigest);
        assertNoRequestLostAndEveryRowOnce(stack, traffic);

        // and the schema is what it was: PostgreSQL rolled the failed migration back
        assertThat(db.schema()).isEqualTo(schemaBefore);
    }

    @Test
    void postgresGoneDuringARolloutHoldsItWithoutRevertOrRestartAndItCompletesWhenPostgresIsBack(RollgateStack stack) {
        // given clinic on the real node, serving
        install(stack, releases.good(), 300);
        String oldApiPod = apiPods(stack).get(0).getMetadata().getName();

        // when a good release is rolled out and PostgreSQL's pod is deleted at once (the StatefulSet
        // replaces it within seconds: the outage is short, so clinic's health is watched throughout)
        HealthDuringOutage health = HealthDuringOutage.watch(stack, oldApiPod);
        stack.rollOnRealNode(node, releases.good2(), rollout(300));
        stack.admin()
                .pods()
                .inNamespace(stack.appNamespace())
                .withName("clinic-postgres-0")
                .delete();

        // then the rollout holds for the dependency, and clinic is unready but alive, not restarted
        PhaseTimeline timeline = timeline(stack);
        Await.until(Duration.ofSeconds(60), "phase WaitingForDependencies", () -> {
            JsonNode object = stack.app().read();
            timeline.observe(object);
            return "WaitingForDependencies"
                    .equals(object.path("status").path("phase").asText());
        });
        Await.until(Duration.ofSeconds(60), oldApiPod + " readiness 503 with the database gone", health::sawNotReady);
        health.close();
        System.err.println("[real-pods] " + oldApiPod + " during the outage: " + health);
        assertThat(health.livenessWhileNotReady())
                .as("liveness of %s while its readiness was 503", oldApiPod)
                .isNotEmpty()
                .containsOnly(200);

        // and when PostgreSQL is back (the StatefulSet's new pod, same volume), the rollout completes
        JsonNode status = stack.app().awaitPhase("Available", releases.good2(), ROLLOUT, timeline);
        assertThat(stack.app().tierImages().values()).containsOnly(releases.good2());
        assertThat(status.path("failedImage").path("image").asText("")).isNotEqualTo(releases.good2());
        List<String> results = new ArrayList<>();
        status.path("history")
                .forEach(h -> results.add(
                        h.path("image").asText() + " " + h.path("result").asText()));
        assertThat(results).contains(releases.good2() + " Succeeded").noneMatch(r -> r.endsWith("RolledBack"));
        assertThat(stack.clinicTierPods())
                .allSatisfy(p -> assertThat(restarts(p))
                        .as("restarts of %s", p.getMetadata().getName())
                        .isZero());
    }

    // --- the steps --------------------------------------------------------------------------------

    private static void install(RollgateStack stack, String image, int timeoutSeconds) {
        stack.installOperatorChart();
        stack.startOperator("real-pods");
        Instant start = Instant.now();
        stack.installClinicOnRealNode(node, image, rollout(timeoutSeconds));
        stack.app().awaitPhase("Available", image, FIRST_INSTALL, timeline(stack));
        System.err.printf(
                "[real-pods] first install (PostgreSQL, cache, 2 api + 1 worker) Available after %.1f s%n",
                seconds(start, Instant.now()));
    }

    /**
     * The figures of docs/benchmarks.md: clinic's start on the node (container start to its first
     * readiness 200), and the time from the last new pod's readiness 200 to Available (which
     * includes the rollout's 2 s minReadySeconds soak).
     */
    private static void printRolloutFigures(
            RollgateStack stack, ReadinessWatch watch, Instant rolled, Instant available) {
        List<String> newPods = stack.clinicTierPods().stream()
                .map(p -> p.getMetadata().getName())
                .toList();
        Map<String, Double> starts = watch.startToReady();
        List<Double> startToReady = newPods.stream()
                .filter(starts::containsKey)
                .map(starts::get)
                .sorted()
                .toList();
        Instant lastReady = newPods.stream()
                .map(watch.firstReady()::get)
                .filter(java.util.Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(available);
        System.err.printf(
                "[real-pods] good rollout of 2 api + 1 worker pods: %.1f s from helm upgrade to Available;"
                        + " clinic container start -> readiness 200: %s s; last new pod's readiness 200 -> Available: %.1f s%n",
                seconds(rolled, available), startToReady, seconds(lastReady, available));
    }

    private static Map<String, Object> rollout(int timeoutSeconds) {
        return Map.of("rollout", Map.of("minReadySeconds", 2, "timeoutSeconds", timeoutSeconds));
    }

    private static PhaseTimeline timeline(RollgateStack stack) {
        return new PhaseTimeline(System.err, "  [real-pods " + stack.appNamespace() + "] ");
    }

    private static ClinicDatabase database(RollgateStack stack) {
        return new ClinicDatabase(stack.kubectl(), stack.appNamespace(), "clinic-postgres-0");
    }

    /** A few more creates on the final state, then: no attempt failed, and each create is exactly one row. */
    private static void assertNoRequestLostAndEveryRowOnce(RollgateStack stack, ClinicTraffic traffic) {
        int now = traffic.succeeded();
        Await.until(Duration.ofSeconds(60), "5 more creates", () -> traffic.succeeded() >= now + 5);
        ClinicTraffic.Report report = traffic.stop();
        System.err.println("[real-pods] traffic: " + report);
        assertThat(report.failedRequests())
                .as("requests that failed for good: %s", report)
                .isZero();
        assertThat(report.failedAttempts())
                .as("attempts that failed: %s", report)
                .isZero();
        long[] rows = database(stack).patientsWithEmailPrefix(traffic.emailPrefix());
        assertThat(rows[0]).as("rows").isEqualTo(report.succeeded());
        assertThat(rows[1]).as("distinct e-mails").isEqualTo(rows[0]);
    }

    private static List<Pod> apiPods(RollgateStack stack) {
        return stack.clinicTierPods().stream()
                .filter(p -> p.getMetadata().getName().startsWith("clinic-api-"))
                .toList();
    }

    private static Pod awaitRunningPod(RollgateStack stack, String image) {
        return Await.until(
                Duration.ofMinutes(2),
                "a running pod of " + image,
                () -> stack.clinicTierPods().stream()
                        .filter(p ->
                                image.equals(p.getSpec().getContainers().get(0).getImage()))
                        .filter(p -> p.getStatus().getContainerStatuses() != null
                                && p.getStatus().getContainerStatuses().stream()
                                        .anyMatch(c -> c.getState() != null
                                                && c.getState().getRunning() != null))
                        .findFirst());
    }

    private static int restarts(Pod pod) {
        return pod.getStatus().getContainerStatuses() == null
                ? 0
                : pod.getStatus().getContainerStatuses().stream()
                        .mapToInt(ContainerStatus::getRestartCount)
                        .sum();
    }

    private static String log(RollgateStack stack, String pod) {
        try {
            return stack.admin()
                    .pods()
                    .inNamespace(stack.appNamespace())
                    .withName(pod)
                    .getLog();
        } catch (RuntimeException notYet) {
            return "";
        }
    }

    /** clinic's own answer on a health path of one pod; 0 while it does not answer. */
    private static int health(RollgateStack stack, String pod, String path) {
        return PodProxy.health(stack.admin(), stack.appNamespace(), pod, path).orElse(0);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
