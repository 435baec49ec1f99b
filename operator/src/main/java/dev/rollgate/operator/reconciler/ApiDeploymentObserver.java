package dev.rollgate.operator.reconciler;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.owned.Labels;
import dev.rollgate.operator.owned.OwnedJobs;
import dev.rollgate.operator.owned.OwnedObjects;
import dev.rollgate.operator.owned.Tier;
import dev.rollgate.operator.rollout.DeploymentRolloutCheck;
import dev.rollgate.operator.rollout.JobObservation;
import dev.rollgate.operator.rollout.Observations;
import dev.rollgate.operator.rollout.PodFailure;
import dev.rollgate.operator.rollout.ReadyPodImages;
import dev.rollgate.operator.rollout.TierObservation;
import dev.rollgate.operator.rollout.WorldSignals;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Observe: the world as one reconcile sees it, read from the informer caches only (no request to
 * the API server), translated into {@link Observations} for the decider: both tiers' Deployments
 * judged with their pods, the failing pods, the dependency StatefulSets, and the owned Jobs.
 */
final class ApiDeploymentObserver {
    private ApiDeploymentObserver() {}

    static Observations observe(ApiDeployment cr, Context<ApiDeployment> ctx) {
        Map<String, Deployment> deployments = ctx.getSecondaryResources(Deployment.class).stream()
                .collect(Collectors.toMap(dep -> dep.getMetadata().getName(), dep -> dep, (a, b) -> a));
        var pods = ctx.getSecondaryResources(Pod.class);
        Map<String, StatefulSet> sts = ctx.getSecondaryResources(StatefulSet.class).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s, (a, b) -> a));
        return new Observations(
                tier(deployments.get(Tier.API.objectName(cr)), Tier.API, pods),
                tier(deployments.get(Tier.WORKER.objectName(cr)), Tier.WORKER, pods),
                failures(pods, deployments.values()),
                cr.getSpec().dependencies.statefulSets.stream()
                        .map(n -> WorldSignals.dependency(n, sts.get(n)))
                        .toList(),
                jobs(ctx.getSecondaryResources(Job.class), pods),
                (int) pods.stream()
                        .filter(p -> {
                            String component = p.getMetadata().getLabels().get(Labels.COMPONENT);
                            return Tier.API.role.equals(component) || Tier.WORKER.role.equals(component);
                        })
                        .count());
    }

    /** Stuck pods of either tier, and Deployments whose pods cannot be created at all. */
    private static List<PodFailure> failures(Collection<Pod> pods, Collection<Deployment> deployments) {
        List<PodFailure> all = new ArrayList<>(WorldSignals.podFailures(pods));
        deployments.forEach(d ->
                DeploymentRolloutCheck.replicaFailure(d, OwnedObjects.CONTAINER).ifPresent(all::add));
        return all;
    }

    /** A tier's Deployment, judged, with what its ready pods report they run. */
    private static TierObservation tier(Deployment d, Tier tier, Collection<Pod> pods) {
        List<Pod> tierPods = pods.stream()
                .filter(p -> tier.role.equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
                .toList();
        return DeploymentRolloutCheck.observe(d, OwnedObjects.CONTAINER)
                .withReadyImageIds(ReadyPodImages.of(d, tierPods, OwnedObjects.CONTAINER));
    }

    /** Every owned Job, by name, as its controller and its pod report it. */
    static Map<String, JobObservation> jobs(Collection<Job> jobs, Collection<Pod> pods) {
        return jobs.stream().collect(Collectors.toMap(j -> j.getMetadata().getName(), j -> job(j, pods), (a, b) -> a));
    }

    private static JobObservation job(Job job, Collection<Pod> pods) {
        String name = job.getMetadata().getName();
        JobCondition done = OwnedJobs.finished(job);
        if (done == null) {
            return new JobObservation(name, JobObservation.State.Running, false, null);
        }
        if ("Complete".equals(done.getType())) {
            return new JobObservation(name, JobObservation.State.Succeeded, false, null);
        }
        StringBuilder message = new StringBuilder(done.getReason() == null ? "Failed" : done.getReason());
        if (done.getMessage() != null && !done.getMessage().isBlank()) {
            message.append(" (").append(done.getMessage()).append(')');
        }
        pods.stream()
                .filter(p -> name.equals(p.getMetadata().getLabels().get("batch.kubernetes.io/job-name"))
                        || name.equals(p.getMetadata().getLabels().get("job-name")))
                .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
                .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                .map(cs -> cs.getState() == null ? null : cs.getState().getTerminated())
                .filter(t -> t != null && t.getExitCode() != null && t.getExitCode() != 0)
                .findFirst()
                .ifPresent(t -> message.append("; exit code ")
                        .append(t.getExitCode())
                        .append(
                                t.getMessage() == null || t.getMessage().isBlank()
                                        ? ""
                                        : ": " + lastLines(t.getMessage())));
        return new JobObservation(
                name, JobObservation.State.Failed, "DeadlineExceeded".equals(done.getReason()), message.toString());
    }

    /** The end of a termination message (the kubelet keeps at most 4 KiB of it), for a status message. */
    private static String lastLines(String text) {
        String t = text.strip();
        return t.length() <= 1024 ? t : "..." + t.substring(t.length() - 1024);
    }
}
