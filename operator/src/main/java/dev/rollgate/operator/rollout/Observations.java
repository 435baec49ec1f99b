package dev.rollgate.operator.rollout;

import java.util.List;

/**
 * The world as one reconcile saw it: the two tiers' Deployments, the failing pods of either tier,
 * and the dependency StatefulSets.
 */
public record Observations(TierObservation api, TierObservation worker, List<PodFailure> podFailures,
    List<DependencyState> dependencies) {

  public boolean dependenciesReady() {
    return dependencies.stream().allMatch(DependencyState::ready);
  }

  public boolean bothCompleteOn(String image) {
    return api.completeOn(image) && worker.completeOn(image);
  }
}
