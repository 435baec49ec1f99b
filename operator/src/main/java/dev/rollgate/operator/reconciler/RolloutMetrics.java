package dev.rollgate.operator.reconciler;

import dev.rollgate.operator.rollout.Milestone;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Rollout metrics in Prometheus format at /q/metrics: counters of rollouts started, succeeded,
 * reverted and failed; timers of rollout duration, revert duration, and the time from observing
 * a failure to the revert patch being accepted by the API server; and of every reconcile.
 */
@ApplicationScoped
public class RolloutMetrics {
  private final MeterRegistry registry;

  public RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(Milestone m) {
    switch (m.kind()) {
      case STARTED -> registry.counter("rollgate.rollouts.started").increment();
      case SUCCEEDED -> {
        registry.counter("rollgate.rollouts.succeeded").increment();
        timer("rollgate.rollout.duration", "Time from a rollout's start to both tiers complete").record(m.duration());
      }
      case REVERT_ISSUED -> registry.counter("rollgate.reverts.started").increment();
      case REVERTED -> {
        registry.counter("rollgate.rollouts.reverted").increment();
        timer("rollgate.revert.duration", "Time from the revert patch to both tiers complete").record(m.duration());
      }
      case FAILED -> registry.counter("rollgate.rollouts.failed").increment();
    }
  }

  /** From the reconcile that observed the failure signal to the revert patch being applied. */
  public void failureToRevert(Duration d) {
    timer("rollgate.failure.to.revert", "Time from observing a failure signal to the revert patch applied").record(d);
  }

  /** One reconcile, from its observation to its last write (rollgate_reconcile_seconds, count and p50/p99). */
  public void reconciled(Duration d) {
    timer("rollgate.reconcile", "Time one reconcile took: observe, decide, write status, apply").record(d);
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name).description(description).publishPercentiles(0.5, 0.99).register(registry);
  }
}
