package dev.rollgate.e2e.realnode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches clinic's own readiness endpoint on every running pod of a tier — what the kubelet's
 * probe sees, fetched through the API server's pod proxy — and prints each change, e.g.
 *
 * <pre>
 * 21:40:02  clinic-api-5d9c-x2k  /q/health/ready 503  (container started 0.9 s ago)
 * 21:40:04  clinic-api-5d9c-x2k  /q/health/ready 200  (container started 2.8 s ago)
 * </pre>
 *
 * <p>It also keeps, per pod, the seconds from the container's start to its first 200: clinic's
 * start on the node, measured.
 */
public final class ReadinessWatch extends BackgroundPoll {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KubernetesClient client;
    private final String namespace;
    private final java.util.function.Predicate<String> pods;
    private final PrintStream out;
    private final String indent;
    private final Map<String, Integer> last = new HashMap<>();
    private final Map<String, Double> startToReady = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstReady = new ConcurrentHashMap<>();

    private ReadinessWatch(
            KubernetesClient client,
            String namespace,
            java.util.function.Predicate<String> pods,
            PrintStream out,
            String indent) {
        super("readiness-watch-" + namespace, 250);
        this.client = client;
        this.namespace = namespace;
        this.pods = pods;
        this.out = out;
        this.indent = indent;
    }

    /** Starts watching clinic's two tiers, the pods of Deployments {@code clinic-api} and {@code clinic-worker}. */
    public static ReadinessWatch start(KubernetesClient client, String namespace, PrintStream out, String indent) {
        ReadinessWatch watch = new ReadinessWatch(
                client,
                namespace,
                name -> name.startsWith("clinic-api-") || name.startsWith("clinic-worker-"),
                out,
                indent);
        watch.startPolling();
        return watch;
    }

    /** Seconds from each pod's container start to its first readiness 200. */
    public Map<String, Double> startToReady() {
        return Map.copyOf(startToReady);
    }

    /** When each pod first answered 200. */
    public Map<String, Instant> firstReady() {
        return Map.copyOf(firstReady);
    }

    @Override
    void pollOnce() {
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            String name = pod.getMetadata().getName();
            Instant started = containerStart(pod);
            if (!pods.test(name) || started == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            int code = readiness(name);
            if (code == 0) {
                continue; // not listening yet: nothing to say
            }
            if (!Integer.valueOf(code).equals(last.put(name, code))) {
                double sinceStart = Duration.between(started, Instant.now()).toMillis() / 1000.0;
                out.printf(
                        "%s%s  %-28s /q/health/ready %d  (container started %.1f s ago)%n",
                        indent, LocalTime.now().format(CLOCK), name, code, sinceStart);
                if (code == 200 && !startToReady.containsKey(name)) {
                    startToReady.put(name, sinceStart);
                    firstReady.put(name, Instant.now());
                }
            }
        }
    }

    private static Instant containerStart(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getState() != null && c.getState().getRunning() != null)
                .map(c -> Instant.parse(c.getState().getRunning().getStartedAt()))
                .findFirst()
                .orElse(null);
    }

    /** clinic's answer on /q/health/ready, or 0 while it does not answer (the JVM is starting). */
    private int readiness(String pod) {
        return PodProxy.health(client, namespace, pod, "/q/health/ready").orElse(0);
    }
}
