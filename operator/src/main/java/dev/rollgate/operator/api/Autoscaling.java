package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.List;

/**
 * A HorizontalPodAutoscaler for the api tier, in the HPA v2 shape. Rollgate owns the HPA and
 * stops setting the api Deployment's replicas (spec.api.replicas is then ignored): the HPA's
 * scale is never overwritten, and rollouts and reverts gate on the Deployment's replica count.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.minReplicas <= self.maxReplicas",
        message = "spec.api.autoscaling.minReplicas must not be greater than maxReplicas")
public class Autoscaling {
    @Required
    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("The fewest api pods the autoscaler keeps (1-10000).")
    public Integer minReplicas;

    @Required
    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("The most api pods the autoscaler may run (1-10000, at least minReplicas).")
    public Integer maxReplicas;

    @Size(max = 8)
    @JsonPropertyDescription("What the autoscaler scales on (autoscaling/v2 MetricSpec, at most 8); absent: the HPA's "
            + "default, 80% average CPU utilization (the api container then needs a CPU request).")
    public List<MetricSpec> metrics;

    @JsonPropertyDescription(
            "Scale-up and scale-down policies (autoscaling/v2 HorizontalPodAutoscalerBehavior); absent: "
                    + "the HPA's defaults.")
    public HorizontalPodAutoscalerBehavior behavior;
}
