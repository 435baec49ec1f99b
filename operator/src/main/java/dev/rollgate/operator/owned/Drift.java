package dev.rollgate.operator.owned;

import dev.rollgate.operator.rollout.DeploymentRolloutCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The live fields of an owned object that Rollgate puts back when someone changes them behind
 * its back. An unchanged desired object (same {@link SpecHash}) is not applied again unless one
 * of these fields differs on the live object; a hand edit of any other field (env, probes) stays
 * until the desired object itself changes.
 */
final class Drift {
    private Drift() {}

    /**
     * One corrected field: its path as a manifest names it, and how to read it. A field the desired
     * object leaves unset is not Rollgate's to correct (an autoscaled api Deployment's replicas
     * belong to the HPA).
     */
    record Field<R>(String path, Function<R, Object> read) {}

    /** Checked in order; the port count comes before the first port, which may then be read. */
    static final List<Field<Deployment>> DEPLOYMENT = List.of(
            new Field<>("spec.replicas", d -> d.getSpec().getReplicas()),
            new Field<>(
                    "spec.template.spec.containers[name=app].image",
                    d -> DeploymentRolloutCheck.imageOf(d, OwnedObjects.CONTAINER)));

    static final List<Field<Service>> SERVICE = List.of(
            new Field<>("spec.selector", s -> s.getSpec().getSelector()),
            new Field<>("spec.ports (count)", s -> s.getSpec().getPorts().size()),
            new Field<>("spec.ports[0].port", s -> s.getSpec().getPorts().get(0).getPort()));

    /** Other owned objects (HPA, PodDisruptionBudget): the spec hash alone decides. */
    static <R extends HasMetadata> List<Field<R>> none() {
        return List.of();
    }

    /** Whether {@code live} still has every corrected field the way {@code desired} sets it. */
    static <R> boolean unchanged(List<Field<R>> fields, R live, R desired) {
        return fields.stream().allMatch(f -> {
            Object wanted = f.read().apply(desired);
            return wanted == null || Objects.equals(f.read().apply(live), wanted);
        });
    }
}
