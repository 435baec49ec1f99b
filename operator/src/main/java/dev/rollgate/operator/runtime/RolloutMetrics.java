package dev.rollgate.operator.runtime;

import dev.rollgate.operator.rollout.Milestone;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Rollout metrics in Prometheus format at /q/metrics: counters of rollouts started, succeeded,
 * reverted and failed; timers of rollout duration, revert duration, and the time from observing
 * a failure to the revert patch being accepted by the API server; and of every reconcile. Gauges:
 * {@code rollgate_leader} (1 in the process that reconciles: it holds the Lease, or leader
 * election is off) and {@code rollgate_apideployment_stalled{namespace,name,reason}} (1 for each
 * ApiDeployment whose Stalled condition is True; absent otherwise), which the chart's alerts read.
 */
@ApplicationScoped
public class RolloutMetrics {
    private final MeterRegistry registry;

    private final MultiGauge stalled;
    /** One ApiDeployment whose Stalled condition was True at its last reconcile, and why. */
    public record Stalled(String namespace, String name, String reason) {}

    /** namespace/name -> the stalled ApiDeployment. */
    private final Map<String, Stalled> stalledNow = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("rollgate.leader", LeaderElection.LEADING, l -> l.get())
                .description(
                        "1 in the operator process that reconciles (it holds the Lease, or leader election is off)")
                .register(registry);
        this.stalled = MultiGauge.builder("rollgate.apideployment.stalled")
                .description("1 for each ApiDeployment whose Stalled condition is True, labelled with its reason")
                .register(registry);
    }

    /**
     * Records whether an ApiDeployment is stalled (reason) or not (null), and forgets those that
     * no longer exist ({@code exists} asks the operator's cache).
     */
    public void stalled(String namespace, String name, String reason, Predicate<Stalled> exists) {
        String key = namespace + "/" + name;
        Stalled before =
                reason == null ? stalledNow.remove(key) : stalledNow.put(key, new Stalled(namespace, name, reason));
        boolean pruned = stalledNow.values().removeIf(x -> !exists.test(x));
        if (pruned || !java.util.Objects.equals(before, stalledNow.get(key))) {
            stalled.register(
                    stalledNow.values().stream()
                            .map(x -> MultiGauge.Row.of(
                                    Tags.of("namespace", x.namespace(), "name", x.name(), "reason", x.reason()), 1))
                            .toList(),
                    true);
        }
    }

    public void record(Milestone m) {
        switch (m.kind()) {
            case STARTED -> registry.counter("rollgate.rollouts.started").increment();
            case SUCCEEDED -> {
                registry.counter("rollgate.rollouts.succeeded").increment();
                timer("rollgate.rollout.duration", "Time from a rollout's start to both tiers complete")
                        .record(m.duration());
            }
            case REVERT_ISSUED -> registry.counter("rollgate.reverts.started").increment();
            case REVERTED -> {
                registry.counter("rollgate.rollouts.reverted").increment();
                timer("rollgate.revert.duration", "Time from the revert patch to both tiers complete")
                        .record(m.duration());
            }
            case FAILED -> registry.counter("rollgate.rollouts.failed").increment();
        }
    }

    /** From the reconcile that observed the failure signal to the revert patch being applied. */
    public void failureToRevert(Duration d) {
        timer("rollgate.failure.to.revert", "Time from observing a failure signal to the revert patch applied")
                .record(d);
    }

    /** One reconcile, from its observation to its last write (rollgate_reconcile_seconds, count and p50/p99). */
    public void reconciled(Duration d) {
        timer("rollgate.reconcile", "Time one reconcile took: observe, decide, write status, apply")
                .record(d);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }
}
