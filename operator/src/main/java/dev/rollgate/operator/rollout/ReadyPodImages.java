package dev.rollgate.operator.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ready pods of a Deployment's current pod template say they run: the {@code imageID}
 * of the app container, as the kubelet reports it. Pure, no client calls; judging the reports
 * is {@link RunningDigest}'s job.
 *
 * <p>"Current pod template" means the new ReplicaSet's pods. Rollgate does not watch ReplicaSets,
 * so a pod counts when it is not being deleted, is Ready, and its app container asks for the
 * template's image. The decider reads these only once the Deployment is complete by kubectl's
 * rules, when no old replica is left; an old pod the pod cache still shows with the same image
 * string can only add a report, and a report that disagrees makes the digest unknown, not wrong.
 */
public final class ReadyPodImages {
    private ReadyPodImages() {}

    /** The imageIDs, one per counted pod, "" for a pod that reports none; sorted, so cache order does not matter. */
    public static List<String> of(Deployment d, Collection<Pod> tierPods, String container) {
        if (d == null) {
            return List.of();
        }
        Optional<String> image = imageOf(d.getSpec().getTemplate().getSpec().getContainers(), container);
        if (image.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (Pod pod : tierPods) {
            if (pod.getMetadata().getDeletionTimestamp() == null
                    && isReady(pod)
                    && image.equals(imageOf(pod.getSpec().getContainers(), container))) {
                ids.add(imageIdOf(pod, container));
            }
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    private static Optional<String> imageOf(List<Container> containers, String name) {
        return containers.stream()
                .filter(c -> name.equals(c.getName()))
                .map(Container::getImage)
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String imageIdOf(Pod pod, String name) {
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null) {
            return "";
        }
        return statuses.stream()
                .filter(cs -> name.equals(cs.getName()))
                .map(ContainerStatus::getImageID)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse("");
    }
}
