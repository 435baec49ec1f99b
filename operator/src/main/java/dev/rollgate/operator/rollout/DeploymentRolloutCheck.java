package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.TierStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;

/**
 * Judges a Deployment the way {@code kubectl rollout status} does, rather than by
 * {@code readyReplicas == replicas}, which is already true while old pods still serve.
 *
 * <p>In order: the controller must have observed the current generation; ProgressDeadlineExceeded
 * is final; then every desired replica must be updated, no old replica may be left, and every
 * updated replica must be available. Example: replicas 2, updated 2, status.replicas 3 (one old
 * pod terminating), available 2 → still InProgress.
 */
public final class DeploymentRolloutCheck {
    private DeploymentRolloutCheck() {}

    public static TierObservation observe(Deployment d, String container) {
        if (d == null) {
            return TierObservation.missing();
        }
        DeploymentStatus st = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        // capped at the desired count: a surge pod ready next to the old pod it replaces is not one more
        TierStatus counts = new TierStatus(
                desired,
                nz(st.getUpdatedReplicas()),
                Math.min(nz(st.getReadyReplicas()), desired),
                Math.min(nz(st.getAvailableReplicas()), desired));
        String image = imageOf(d, container);
        return new TierObservation(image, verdict(d, st, desired), counts, deadlineExceededAt(st))
                .withProgress(progressMark(d, st));
    }

    /**
     * A number that rises with every step of a rolling update and never with a setback: 3 ×
     * updated + ready + available − 2 × pods (old ones included), from the Deployment's status.
     * A new pod created: +1 (updated +1, pods +1); it becomes ready: +1; available: +1; an old pod
     * removed: 0 (pods −1, ready −1, available −1), so surge and scale-down never count against it;
     * a pod losing readiness lowers it, and only a new high counts as progress. Null while the
     * controller has not observed the current generation: its counts are of the previous template.
     */
    static Integer progressMark(Deployment d, DeploymentStatus st) {
        long generation =
                d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = st.getObservedGeneration() == null ? 0 : st.getObservedGeneration();
        if (observed < generation) {
            return null;
        }
        return 3 * nz(st.getUpdatedReplicas())
                + nz(st.getReadyReplicas())
                + nz(st.getAvailableReplicas())
                - 2 * nz(st.getReplicas());
    }

    private static RolloutVerdict verdict(Deployment d, DeploymentStatus st, int desired) {
        long generation =
                d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = st.getObservedGeneration() == null ? 0 : st.getObservedGeneration();
        if (observed < generation) {
            return RolloutVerdict.InProgress;
        }
        if (deadlineExceededAt(st) != null) {
            return RolloutVerdict.DeadlineExceeded;
        }
        int updated = nz(st.getUpdatedReplicas());
        if (updated < desired) {
            return RolloutVerdict.InProgress;
        }
        if (nz(st.getReplicas()) > updated) {
            return RolloutVerdict.InProgress;
        }
        if (nz(st.getAvailableReplicas()) < updated) {
            return RolloutVerdict.InProgress;
        }
        return RolloutVerdict.Complete;
    }

    /**
     * The Deployment's ReplicaFailure condition as a failure of its template's image: its pods
     * cannot even be created (Pod Security Admission, a ResourceQuota, an admission webhook). The
     * message is the API server's refusal; there is no pod to name.
     */
    public static java.util.Optional<PodFailure> replicaFailure(Deployment d, String container) {
        if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
            return java.util.Optional.empty();
        }
        String image = imageOf(d, container);
        return d.getStatus().getConditions().stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .map(c -> new PodFailure(
                        "of Deployment " + d.getMetadata().getName(),
                        image,
                        Reasons.FAILED_CREATE,
                        c.getMessage() == null ? "" : c.getMessage()));
    }

    private static Instant deadlineExceededAt(DeploymentStatus st) {
        if (st.getConditions() == null) {
            return null;
        }
        for (DeploymentCondition c : st.getConditions()) {
            if ("Progressing".equals(c.getType()) && Reasons.PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason())) {
                String at = c.getLastUpdateTime() != null ? c.getLastUpdateTime() : c.getLastTransitionTime();
                return at == null ? Instant.EPOCH : Instant.parse(at);
            }
        }
        return null;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    /**
     * The image of the named container of {@code d}'s pod template, found by name (a pod overlay may
     * add containers, and list order is not Rollgate's to rely on); null when there is none.
     */
    public static String imageOf(Deployment d, String container) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> container.equals(c.getName()))
                .map(c -> c.getImage())
                .findFirst()
                .orElse(null);
    }
}
