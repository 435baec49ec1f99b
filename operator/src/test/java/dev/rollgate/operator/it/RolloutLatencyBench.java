package dev.rollgate.operator.it;

import dev.rollgate.operator.api.Phase;
import dev.rollgate.testkit.OperatorIdentity;
import dev.rollgate.testkit.OperatorProcess;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Prints p50/p99 over N runs (default 20) on the local cluster, with the operator as a process
 * under the chart's ServiceAccount:
 * <ol>
 *   <li>spec.image changed → both Deployments carry it (seen by a watch);
 *   <li>first failure signal on a pod (CrashLoopBackOff seen by a watch) → both Deployments back
 *       on the last known-good image.
 * </ol>
 * Times are wall-clock on the test side and include the watch delivery to this process; the
 * operator's own view of (b) is the rollgate_failure_to_revert_seconds metric, printed too.
 * Run: {@code ./mvnw -B -pl e2e/testkit,operator -am -Pbench verify -DskipTests}.
 */
public final class RolloutLatencyBench {

    public static void main(String[] args) {
        Benchmarks.runAndExit(RolloutLatencyBench::run);
    }

    private static void run(KubernetesClient client, OperatorIdentity identity) throws Exception {
        int runs = Integer.parseInt(System.getProperty("bench.runs", "20"));
        try (OperatorProcess operator =
                        OperatorProcess.start(identity.kubeconfig(), "bench", Map.of("ROLLGATE_LOG_LEVEL", "INFO"));
                Scenario s = new Scenario(client, "bench")) {
            Map<String, Long> firstSeen = new ConcurrentHashMap<>();
            var deployments = client.apps()
                    .deployments()
                    .inNamespace(s.namespace)
                    .inform(handler(d -> {
                        String key = d.getMetadata().getName() + "="
                                + d.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getImage();
                        firstSeen.putIfAbsent(key, System.nanoTime());
                    }));
            var pods = client.pods().inNamespace(s.namespace).inform(handler((Pod p) -> {
                if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
                    p.getStatus().getContainerStatuses().stream()
                            .filter(c -> c.getState() != null
                                    && c.getState().getWaiting() != null
                                    && "CrashLoopBackOff"
                                            .equals(c.getState().getWaiting().getReason()))
                            .findFirst()
                            .ifPresent(c -> firstSeen.putIfAbsent(
                                    "signal="
                                            + p.getSpec().getContainers().get(0).getImage(),
                                    System.nanoTime()));
                }
            }));
            String good = Scenario.image("bench-0");
            s.create(good, spec -> {
                spec.api.replicas = 1;
                spec.rollout.timeoutSeconds = 300;
            });
            s.awaitAvailableOn(good, Duration.ofSeconds(90));

            List<Double> patched = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                String next = Scenario.image("bench-a" + i);
                long t0 = System.nanoTime();
                s.setImage(next);
                long apiAt = waitFor(firstSeen, "clinic-api=" + next);
                long workerAt = waitFor(firstSeen, "clinic-worker=" + next);
                patched.add((Math.max(apiAt, workerAt) - t0) / 1e6);
                s.awaitAvailableOn(next, Duration.ofSeconds(90));
                good = next;
            }

            List<Double> reverted = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                String bad = Scenario.image("bench-b" + i + "-crashloop");
                firstSeen.remove("clinic-api=" + good);
                firstSeen.remove("clinic-worker=" + good);
                s.setImage(bad);
                long signal = waitFor(firstSeen, "signal=" + bad);
                long apiBack = waitFor(firstSeen, "clinic-api=" + good);
                long workerBack = waitFor(firstSeen, "clinic-worker=" + good);
                reverted.add((Math.max(apiBack, workerBack) - signal) / 1e6);
                s.awaitPhase(Phase.RolledBack, Duration.ofSeconds(90));
            }
            deployments.close();
            pods.close();

            System.out.println();
            System.out.println("Rollgate rollout latency on the local cluster (" + runs + " runs each, ms)");
            print("(a) spec.image change -> both Deployments patched", patched);
            print("(b) first CrashLoopBackOff on a pod -> revert patch on both", reverted);
            String metrics = operator.get("/q/metrics");
            metrics.lines()
                    .filter(l -> l.startsWith("rollgate_failure_to_revert_seconds")
                            && (l.contains("quantile") || l.contains("_max")))
                    .forEach(l -> System.out.println("  operator metric " + l));
        }
    }

    private static long waitFor(Map<String, Long> seen, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!seen.containsKey(key)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("never saw " + key);
            }
            Thread.sleep(2);
        }
        return seen.get(key);
    }

    private static void print(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%-62s p50 %7.1f   p99 %7.1f   min %7.1f   max %7.1f%n",
                what,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile: with 20 samples p99 is the largest. */
    static double percentile(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
        };
    }
}
