package dev.rollgate.operator.rollout;

import java.util.List;
import java.util.Map;

/**
 * The world as one reconcile saw it: the two tiers' Deployments, the failing pods of either tier
 * (and of the migration Job), the dependency StatefulSets, the Jobs the ApiDeployment owns (by
 * name), and how many pods of either tier exist (terminating ones included).
 */
public record Observations(
        TierObservation api,
        TierObservation worker,
        List<PodFailure> podFailures,
        List<DependencyState> dependencies,
        Map<String, JobObservation> jobs,
        int tierPods) {

    public Observations(
            TierObservation api,
            TierObservation worker,
            List<PodFailure> podFailures,
            List<DependencyState> dependencies) {
        this(api, worker, podFailures, dependencies, Map.of(), -1);
    }

    /** The owned Job of that name, or null when it does not exist. */
    public JobObservation job(String name) {
        return name == null ? null : jobs.get(name);
    }

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
        if (!image.equals(api.image())
                || !image.equals(worker.image())
                || api.progress() == null
                || worker.progress() == null) {
            return null;
        }
        return api.progress() + worker.progress();
    }
}
