package dev.rollgate.operator.reconciler;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.owned.Labels;
import dev.rollgate.operator.runtime.LeanCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers the reconciler observes through: the objects it owns (by the managed-by label,
 * mapped back by owner reference), the tiers' pods (by label), and the user's dependency
 * StatefulSets (by spec.dependencies). Each cache is kept lean ({@link LeanCache}).
 */
final class InformerSources {
    private InformerSources() {}

    static List<EventSource<?, ApiDeployment>> of(EventSourceContext<ApiDeployment> ctx) {
        // Pods are not owned by the ApiDeployment (their owner is a ReplicaSet): map them by label.
        var pods = InformerEventSourceConfiguration.from(Pod.class, ApiDeployment.class)
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .withItemStore(LeanCache.pods())
                .withSecondaryToPrimaryMapper(pod -> {
                    String owner = pod.getMetadata().getLabels().get(Labels.INSTANCE);
                    return owner == null
                            ? Set.of()
                            : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
                })
                .build();
        // StatefulSets are the user's, unlabelled by us: map both ways through spec.dependencies.
        var statefulSets = InformerEventSourceConfiguration.from(StatefulSet.class, ApiDeployment.class)
                .withItemStore(LeanCache.statefulSets())
                .withSecondaryToPrimaryMapper(sts -> ctx.getPrimaryCache()
                        .list(sts.getMetadata().getNamespace())
                        .filter(cr -> cr.getSpec() != null
                                && cr.getSpec()
                                        .dependencies
                                        .statefulSets
                                        .contains(sts.getMetadata().getName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((ApiDeployment cr) -> cr.getSpec().dependencies.statefulSets.stream()
                        .map(n -> new ResourceID(n, cr.getMetadata().getNamespace()))
                        .collect(Collectors.toSet()))
                .build();
        return List.of(
                owned(Deployment.class, ctx),
                owned(Service.class, ctx),
                new InformerEventSource<>(pods, ctx),
                new InformerEventSource<>(statefulSets, ctx),
                owned(Job.class, ctx),
                owned(HorizontalPodAutoscaler.class, ctx),
                owned(PodDisruptionBudget.class, ctx));
    }

    /** An object Rollgate owns: selected by the managed-by label, mapped back by its owner reference. */
    private static <R extends HasMetadata> InformerEventSource<R, ApiDeployment> owned(
            Class<R> type, EventSourceContext<ApiDeployment> ctx) {
        var config = InformerEventSourceConfiguration.from(type, ApiDeployment.class)
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .withItemStore(LeanCache.<R>store())
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ApiDeployment.class))
                .build();
        return new InformerEventSource<>(config, ctx);
    }
}
