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

  /**
   * The progress mark of both tiers towards {@code image}: the sum of their marks once both
   * Deployments carry that image and their controller has observed it; else null.
   */
  public Integer progressTowards(String image) {
    if (!image.equals(api.image()) || !image.equals(worker.image()) || api.progress() == null
        || worker.progress() == null) {
      return null;
    }
    return api.progress() + worker.progress();
  }
}
