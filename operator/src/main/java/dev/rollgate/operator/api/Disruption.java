package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The api tier's PodDisruptionBudget, so that a node drain cannot take every api pod at once.
 * Without this field: maxUnavailable 1 when the tier runs more than one pod, no budget with one
 * (a budget that allows no eviction would block every drain).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!(has(self.maxUnavailable) && has(self.minAvailable))",
        message = "spec.api.disruption: set maxUnavailable or minAvailable, not both")
public class Disruption {
    @Default("true")
    @JsonPropertyDescription(
            "false: no PodDisruptionBudget for the api tier (an existing one is deleted). Default true.")
    public Boolean enabled = true;

    @JsonPropertyDescription("At most this many api pods (or this percentage) may be evicted at once. Default 1 when "
            + "neither this nor minAvailable is set.")
    public IntOrString maxUnavailable;

    @JsonPropertyDescription("At least this many api pods (or this percentage) must stay available during evictions.")
    public IntOrString minAvailable;
}
