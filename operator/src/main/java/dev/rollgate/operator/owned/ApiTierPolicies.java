package dev.rollgate.operator.owned;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.Autoscaling;
import dev.rollgate.operator.api.Disruption;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Optional;

/**
 * The api tier's scaling and disruption objects, both named {@code <name>-api} and owned by the
 * ApiDeployment: a HorizontalPodAutoscaler when spec.api.autoscaling is set, and a
 * PodDisruptionBudget unless the tier runs a single pod or spec.api.disruption turns it off.
 * Empty means the object must not exist.
 */
public final class ApiTierPolicies {
    private ApiTierPolicies() {}

    public static Optional<HorizontalPodAutoscaler> autoscaler(ApiDeployment cr) {
        Autoscaling a = cr.getSpec().api.autoscaling;
        if (a == null) {
            return Optional.empty();
        }
        return Optional.of(new HorizontalPodAutoscalerBuilder()
                .withMetadata(OwnedObjects.meta(cr, Tier.API))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(Tier.API.objectName(cr))
                .endScaleTargetRef()
                .withMinReplicas(a.minReplicas)
                .withMaxReplicas(a.maxReplicas)
                .withMetrics(a.metrics)
                .withBehavior(a.behavior)
                .endSpec()
                .build());
    }

    /**
     * The budget: the spec's when given; else maxUnavailable 1 when more than one api pod runs or
     * may run (autoscaling); none for a single pod, whose budget would block every node drain.
     */
    public static Optional<PodDisruptionBudget> disruptionBudget(ApiDeployment cr) {
        var api = cr.getSpec().api;
        Disruption d = api.disruption;
        if (d != null && Boolean.FALSE.equals(d.enabled)) {
            return Optional.empty();
        }
        boolean given = d != null && (d.maxUnavailable != null || d.minAvailable != null);
        int most = api.autoscaling != null ? api.autoscaling.maxReplicas : api.replicas;
        if (!given && most <= 1) {
            return Optional.empty();
        }
        IntOrString maxUnavailable = given ? d.maxUnavailable : new IntOrString(1);
        IntOrString minAvailable = given ? d.minAvailable : null;
        return Optional.of(new PodDisruptionBudgetBuilder()
                .withMetadata(OwnedObjects.meta(cr, Tier.API))
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Labels.selector(cr, Tier.API))
                .endSelector()
                .withMaxUnavailable(maxUnavailable)
                .withMinAvailable(minAvailable)
                .endSpec()
                .build());
    }
}
