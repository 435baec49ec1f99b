package dev.rollgate.operator.it;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.testkit.AuditEvent;
import dev.rollgate.testkit.AuditLog;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorIdentity;
import dev.rollgate.testkit.OperatorProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Many ApiDeployments on one operator, on the simulated cluster, where the operator rather than
 * the cluster's controllers is meant to be the bottleneck (up.sh lifts their API rate limits and
 * raises their concurrency). For each N of {@code -Dbench.sizes} (default 100,1000):
 * <ol>
 *   <li>N ApiDeployments (api 1 replica, worker 0, timeoutSeconds 120, a good image) are created
 *       while no operator runs; then the operator starts (as a process under the chart's RBAC);
 *   <li>time from its start to every owned object applied (2N Deployments, N Services), and to all
 *       N Available;
 *   <li>one idle minute: reconciles and API writes by the operator (the audit log);
 *   <li>all N rolled to another good image: time until all Available on it;
 *   <li>false verdicts: any ApiDeployment that was ever RollingBack, RolledBack or Failed, or has a
 *       failure in its history (all images are good: each one is false);
 *   <li>the operator's RSS and heap after a full GC ({@code jcmd}) with 0 and N ApiDeployments;
 *       p50/p99 of its reconciles (rollgate_reconcile_seconds).
 * </ol>
 * Run: {@code ./mvnw -B -pl e2e/testkit,operator -am -Pscale-bench verify -DskipTests [-Dbench.sizes=100]}.
 * Prints figures; asserts nothing but that it could measure them.
 */
public final class ScaleBench {
    private static final String V1 = "registry.example.com/clinic:1.0.0";
    private static final String V2 = "registry.example.com/clinic:2.0.0";
    private static final Duration LIMIT = Duration.ofMinutes(20);

    public static void main(String[] args) {
        Benchmarks.runAndExit(ScaleBench::run);
    }

    private static void run(KubernetesClient client, OperatorIdentity identity) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String n : System.getProperty("bench.sizes", "100,1000").split(",")) {
            sizes.add(Integer.parseInt(n.trim()));
        }
        AuditLog audit = LocalKubernetes.get().auditLog();
        // as the chart sets it
        Map<String, String> env = Map.of("ROLLGATE_LOG_LEVEL", "INFO", "MALLOC_ARENA_MAX", "2");
        List<String> report = new ArrayList<>();
        report.add(String.format(
                Locale.ROOT,
                "machine: %d cores, %d MiB; operator JVM options: %s",
                Runtime.getRuntime().availableProcessors(),
                OperatorMeasurements.totalMemoryMiB(),
                System.getProperty("rollgate.operator.jvmOptions", "-Xmx256m")));

        try (OperatorProcess idle = OperatorProcess.start(identity.kubeconfig(), "scale-0", env)) {
            Thread.sleep(5_000);
            report.add("N=0     " + OperatorMeasurements.memory(idle.pid()));
        }

        for (int n : sizes) {
            String ns = "scale-" + n + "-" + Long.toString(System.currentTimeMillis() % 100000, 36);
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
            try {
                report.add(runOne(client, identity, audit, env, ns, n));
            } finally {
                client.namespaces().withName(ns).delete();
            }
        }
        System.out.println();
        System.out.println("Rollgate at scale on the local (simulated) cluster");
        report.forEach(System.out::println);
    }

    private static String runOne(
            KubernetesClient client,
            OperatorIdentity identity,
            AuditLog audit,
            Map<String, String> env,
            String ns,
            int n)
            throws Exception {
        log("N=" + n + ": creating " + n + " ApiDeployments in " + ns + " (no operator running)");
        parallel(
                n,
                i -> client.resource(Scenario.apiDeployment(ns, name(i), V1, spec -> {
                            spec.api.replicas = 1;
                            spec.worker.replicas = 0;
                        }))
                        .create());

        long t0 = System.nanoTime();
        try (OperatorProcess op = OperatorProcess.start(identity.kubeconfig(), "scale-" + n, env)) {
            Set<String> everBad = new TreeSet<>();
            double applied = waitFor(
                    "all owned objects applied",
                    t0,
                    () -> client.apps()
                                            .deployments()
                                            .inNamespace(ns)
                                            .list()
                                            .getItems()
                                            .size()
                                    == 2 * n
                            && client.services()
                                            .inNamespace(ns)
                                            .list()
                                            .getItems()
                                            .size()
                                    == n);
            double available = waitFor("all Available on " + V1, t0, () -> allOn(client, ns, n, V1, everBad));
            String memory = OperatorMeasurements.memory(op.pid());
            if (Boolean.getBoolean("bench.memoryOnly")) {
                return String.format(
                        Locale.ROOT,
                        "N=%-5d start -> all objects applied %6.1f s; -> all Available %6.1f s; "
                                + "false verdicts %d; %s",
                        n,
                        applied,
                        available,
                        everBad.size(),
                        memory);
            }

            double settled = waitForQuiet(op, t0);
            log("N=" + n + ": one idle minute");
            AuditLog.Mark mark = audit.mark();
            double reconcilesBefore = OperatorMeasurements.metric(op, "rollgate_reconcile_seconds_count");
            Thread.sleep(60_000);
            List<AuditEvent> writes = audit.eventsSince(mark).stream()
                    .filter(writtenBy(identity.username()))
                    .toList();
            long idleWrites = writes.size();
            Map<String, Long> what = new java.util.TreeMap<>();
            writes.forEach(e -> what.merge(
                    e.verb() + " " + e.resource() + (e.subresource() == null ? "" : "/" + e.subresource()),
                    1L,
                    Long::sum));
            double idleReconciles =
                    OperatorMeasurements.metric(op, "rollgate_reconcile_seconds_count") - reconcilesBefore;

            log("N=" + n + ": rolling all to " + V2);
            long t1 = System.nanoTime();
            parallel(
                    n,
                    i -> client.resources(ApiDeployment.class)
                            .inNamespace(ns)
                            .withName(name(i))
                            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"image\":\"" + V2 + "\"}}"));
            double rolled = waitFor("all Available on " + V2, t1, () -> allOn(client, ns, n, V2, everBad));
            for (ApiDeployment cr :
                    client.resources(ApiDeployment.class).inNamespace(ns).list().getItems()) {
                for (HistoryEntry h : cr.getStatus().history) {
                    if (h.result != HistoryEntry.Result.Succeeded) {
                        everBad.add(cr.getMetadata().getName() + " history " + h.result + " " + h.reason);
                    }
                }
            }
            String p = String.format(
                    Locale.ROOT,
                    "p50 %.1f ms, p99 %.1f ms (the last 2 minutes)",
                    1000 * OperatorMeasurements.metric(op, "rollgate_reconcile_seconds{quantile=\"0.5\""),
                    1000 * OperatorMeasurements.metric(op, "rollgate_reconcile_seconds{quantile=\"0.99\""));
            return String.format(
                    Locale.ROOT,
                    "N=%-5d start -> all objects applied %6.1f s; -> all Available %6.1f s; "
                            + "-> queue drained %6.1f s; roll all to a new image %6.1f s; false verdicts %d%s; idle minute: %d writes %s, %.0f reconciles; "
                            + "reconcile %s; %s",
                    n,
                    applied,
                    available,
                    settled,
                    rolled,
                    everBad.size(),
                    everBad.isEmpty() ? "" : " " + first(everBad, 5),
                    idleWrites,
                    what,
                    idleReconciles,
                    p,
                    memory);
        }
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "app-%04d", i);
    }

    /** Whether all n run {@code image} and are Available; records any that shows a failure on the way. */
    private static boolean allOn(KubernetesClient client, String ns, int n, String image, Set<String> everBad) {
        int ok = 0;
        for (ApiDeployment cr :
                client.resources(ApiDeployment.class).inNamespace(ns).list().getItems()) {
            ApiDeploymentStatus st = cr.getStatus();
            if (st == null) {
                continue;
            }
            if (st.phase == Phase.RollingBack
                    || st.phase == Phase.RolledBack
                    || st.phase == Phase.Failed
                    || st.failedImage != null) {
                everBad.add(cr.getMetadata().getName() + " " + st.phase
                        + (st.failedImage == null ? "" : " " + st.failedImage.reason));
            }
            if (Scenario.isSettledOn(cr, image)) {
                ok++;
            }
        }
        return ok == n;
    }

    private static Predicate<AuditEvent> writtenBy(String user) {
        return e -> user.equals(e.username()) && !"events".equals(e.resource()) && e.code() < 400;
    }

    /** Waits until the operator has not reconciled for 10 s (its queue drained); returns seconds since {@code since}. */
    private static double waitForQuiet(OperatorProcess op, long since) throws Exception {
        double last = OperatorMeasurements.metric(op, "rollgate_reconcile_seconds_count");
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(10).toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the operator never went quiet within " + LIMIT);
            }
            Thread.sleep(1000);
            double now = OperatorMeasurements.metric(op, "rollgate_reconcile_seconds_count");
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        double s = (System.nanoTime() - since) / 1e9;
        log(String.format(Locale.ROOT, "quiet (no reconcile for 10 s) after %.1f s", s));
        return s;
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static double waitFor(String what, long since, Check check) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within " + LIMIT);
            }
            Thread.sleep(1000);
        }
        double s = (System.nanoTime() - since) / 1e9;
        log(String.format(Locale.ROOT, "%s after %.1f s", what, s));
        return s;
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    private static void parallel(int n, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            all.add(pool.submit(() -> {
                step.run(k);
                return null;
            }));
        }
        for (var f : all) {
            f.get();
        }
        pool.shutdown();
    }

    private static String first(Set<String> s, int k) {
        return s.stream().limit(k).toList().toString();
    }

    private static void log(String message) {
        System.err.println("[scale-bench] " + message);
    }
}
