package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Replica counts of one tier's Deployment, as its controller reports them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TierStatus {
    @JsonPropertyDescription("Desired replicas.")
    public int replicas;

    @JsonPropertyDescription("Replicas running the current pod template.")
    public int updated;

    @JsonPropertyDescription("Replicas passing their readiness probe, at most the desired count: during a rolling "
            + "update the surge pod is not counted on top of the pod it replaces.")
    public int ready;

    @JsonPropertyDescription("Replicas ready for at least minReadySeconds, at most the desired count.")
    public int available;

    public TierStatus() {}

    public TierStatus(int replicas, int updated, int ready, int available) {
        this.replicas = replicas;
        this.updated = updated;
        this.ready = ready;
        this.available = available;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TierStatus t
                && replicas == t.replicas
                && updated == t.updated
                && ready == t.ready
                && available == t.available;
    }

    @Override
    public int hashCode() {
        return Objects.hash(replicas, updated, ready, available);
    }
}
