package dev.rollgate.operator.owned;

import dev.rollgate.operator.api.PodOverlay;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Merges a tier's {@link PodOverlay} into the pod template Rollgate rendered, Rollgate's fields
 * winning. The overlay has no field for the container name, image, env, probes or ports, so
 * those cannot be touched. Of the fields both set, the labels keep Rollgate's values (the
 * Deployment's selector must never change, and admission already rejects those keys), while
 * imagePullPolicy, which Rollgate sets only for a digest-pinned image (see {@code OwnedObjects}),
 * is the overlay's when given.
 *
 * <p>The output is a pure function of its input, so its spec hash is stable: maps are written
 * in key order whatever order they were read in, lists keep the user's order, and everything is
 * copied (the overlay belongs to the informer's cached ApiDeployment and must not be shared).
 * An absent field sets nothing, so no overlay renders exactly what Rollgate rendered before.
 */
final class PodTemplateOverlay {
    private PodTemplateOverlay() {}

    static void apply(PodTemplateSpec template, PodOverlay o) {
        if (o.labels != null) {
            // after Rollgate's labels, so that a reserved key keeps Rollgate's value
            new TreeMap<>(o.labels).forEach(template.getMetadata().getLabels()::putIfAbsent);
        }
        if (o.annotations != null && !o.annotations.isEmpty()) {
            template.getMetadata().setAnnotations(new TreeMap<>(o.annotations));
        }
        PodSpec pod = template.getSpec();
        if (o.nodeSelector != null && !o.nodeSelector.isEmpty()) {
            pod.setNodeSelector(new TreeMap<>(o.nodeSelector));
        }
        if (o.tolerations != null) {
            pod.setTolerations(copy(o.tolerations, t -> new TolerationBuilder(t).build()));
        }
        if (o.affinity != null) {
            pod.setAffinity(new AffinityBuilder(o.affinity).build());
        }
        if (o.topologySpreadConstraints != null) {
            pod.setTopologySpreadConstraints(
                    copy(o.topologySpreadConstraints, c -> new TopologySpreadConstraintBuilder(c).build()));
        }
        if (o.securityContext != null) {
            pod.setSecurityContext(new PodSecurityContextBuilder(o.securityContext).build());
        }
        if (o.volumes != null) {
            pod.setVolumes(copy(o.volumes, v -> new VolumeBuilder(v).build()));
        }
        if (o.serviceAccountName != null) {
            pod.setServiceAccountName(o.serviceAccountName);
        }
        if (o.priorityClassName != null) {
            pod.setPriorityClassName(o.priorityClassName);
        }
        if (o.terminationGracePeriodSeconds != null) {
            pod.setTerminationGracePeriodSeconds(o.terminationGracePeriodSeconds);
        }
        Container app = pod.getContainers().stream()
                .filter(c -> OwnedObjects.CONTAINER.equals(c.getName()))
                .findFirst()
                .orElseThrow();
        if (o.containerSecurityContext != null) {
            app.setSecurityContext(new SecurityContextBuilder(o.containerSecurityContext).build());
        }
        if (o.volumeMounts != null) {
            app.setVolumeMounts(copy(o.volumeMounts, m -> new VolumeMountBuilder(m).build()));
        }
        if (o.imagePullPolicy != null) {
            app.setImagePullPolicy(o.imagePullPolicy.name());
        }
    }

    private static <T> List<T> copy(List<T> items, UnaryOperator<T> copyOf) {
        return items.stream().map(copyOf).collect(Collectors.toCollection(ArrayList::new));
    }
}
