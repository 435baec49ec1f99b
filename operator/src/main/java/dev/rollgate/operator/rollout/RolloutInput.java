package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import java.time.Instant;

/**
 * Everything the decider looks at.
 *
 * @param spec the desired state
 * @param generation metadata.generation of the spec
 * @param retryToken value of the rollgate.dev/retry annotation, may be null
 * @param status the recorded status, may be null on first sight
 * @param observed the world
 * @param now the reconcile's clock reading
 */
public record RolloutInput(ApiDeploymentSpec spec, long generation, String retryToken, ApiDeploymentStatus status,
    Observations observed, Instant now) {}
