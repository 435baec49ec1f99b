package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile should do. The reconciler persists {@link #status} first and only then
 * applies {@link #applyImage}: a snapshot is always recorded before the change it protects.
 *
 * @param status the status to record
 * @param applyImage the image both tiers' Deployments must carry; empty means touch no Deployment
 * @param runJob a Job that must exist (migration, backup, restore), created when absent
 * @param stopTiers apply {@code applyImage} with 0 replicas in both tiers (a restore is under way)
 * @param events Kubernetes Events to record, only on transitions
 * @param milestones what the metrics count
 * @param requeueAfter when to look again although nothing changes (the next deadline)
 * @param reason why, in one CamelCase word, for logs and tests
 */
public record Decision(
        ApiDeploymentStatus status,
        Optional<String> applyImage,
        Optional<JobRun> runJob,
        boolean stopTiers,
        List<RolloutEvent> events,
        List<Milestone> milestones,
        Optional<Duration> requeueAfter,
        String reason) {

    /** The same decision, looked at again after {@code after}. */
    public Decision withRequeue(Duration after) {
        return new Decision(status, applyImage, runJob, stopTiers, events, milestones, Optional.of(after), reason);
    }
}
