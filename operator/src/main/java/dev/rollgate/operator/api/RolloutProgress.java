package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How far the rollout (or revert) in flight has got, and since when it has not got further: the
 * deadline {@code spec.rollout.timeoutSeconds} counts from {@link #at}, not from the start, so a
 * rollout that keeps making progress on a busy cluster is not failed for being slow.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutProgress {
    @JsonPropertyDescription("The highest progress mark seen for the rollout in flight: over both tiers, 3 x updated + "
            + "ready + available - 2 x pods (old ones included), from the Deployments' status once their controller has "
            + "observed the new template. It rises when a new pod is created, becomes ready or available, or an old one is "
            + "removed without loss; absent until the controller has observed the new template.")
    public Integer mark;

    @JsonPropertyDescription("When the mark last rose, or the rollout started or resumed (RFC 3339); the rollout fails "
            + "when nothing has risen for spec.rollout.timeoutSeconds.")
    public String at;

    public RolloutProgress() {}

    public RolloutProgress(Integer mark, String at) {
        this.mark = mark;
        this.at = at;
    }
}
