package dev.rollgate.operator.rollout;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Turns raw pods and StatefulSets into the decider's signals; pure, no client calls. */
public final class WorldSignals {
    private WorldSignals() {}

    /** Waiting reasons that no amount of waiting fixes: fail fast on them. */
    public static final Set<String> STUCK_REASONS =
            Set.of(Reasons.CRASH_LOOP, Reasons.IMAGE_PULL_BACK_OFF, Reasons.ERR_IMAGE_PULL, Reasons.INVALID_IMAGE_NAME);

    public static List<PodFailure> podFailures(Collection<Pod> pods) {
        List<PodFailure> failures = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null
                    || pod.getStatus() == null
                    || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
                var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
                if (waiting != null && STUCK_REASONS.contains(waiting.getReason())) {
                    String image = imageOf(pod, cs.getName(), cs.getImage());
                    failures.add(new PodFailure(
                            pod.getMetadata().getName(), image, waiting.getReason(), waiting.getMessage()));
                }
            }
        }
        failures.sort((a, b) -> a.pod().compareTo(b.pod()));
        return failures;
    }

    /** The image the pod's spec asks for: container statuses may report a resolved name instead. */
    private static String imageOf(Pod pod, String container, String fallback) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(container))
                .map(c -> c.getImage())
                .findFirst()
                .orElse(fallback);
    }

    /** Ready: observed its generation, and every desired replica is ready and on the update revision. */
    public static DependencyState dependency(String name, StatefulSet sts) {
        if (sts == null) {
            return new DependencyState(name, false, "not found");
        }
        var st = sts.getStatus();
        int desired = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        if (st == null
                || st.getObservedGeneration() == null
                || st.getObservedGeneration() < sts.getMetadata().getGeneration()) {
            return new DependencyState(name, false, "not observed by its controller yet");
        }
        int ready = st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
        if (ready < desired) {
            return new DependencyState(name, false, ready + "/" + desired + " ready");
        }
        return new DependencyState(name, true, desired + "/" + desired + " ready");
    }
}
