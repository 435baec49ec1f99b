package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.image.ImageResolver;
import java.time.Instant;

/**
 * Everything the decider looks at.
 *
 * @param name the ApiDeployment's name, which the Jobs it runs are named after
 * @param spec the desired state
 * @param generation metadata.generation of the spec
 * @param retryToken value of the rollgate.dev/retry annotation, may be null
 * @param restoreRequest value of the rollgate.dev/restore annotation (a backup id), may be null
 * @param abortRequest value of the rollgate.dev/abort annotation (a token), may be null
 * @param status the recorded status, may be null on first sight
 * @param observed the world
 * @param now the reconcile's clock reading
 * @param registry asked only when a rollout is about to start with imageResolution Registry (and when
 *     a revert under it wants to say whether the known-good tag moved): the one call that may
 *     leave the process, made lazily so that a reconcile with nothing to start asks nothing
 * @param applied how the writes of the owned objects went, when the reconciler has just tried them;
 *     null when not known in this pass (the Synced condition in status stands)
 */
public record RolloutInput(
        String name,
        ApiDeploymentSpec spec,
        long generation,
        String retryToken,
        String restoreRequest,
        String abortRequest,
        ApiDeploymentStatus status,
        Observations observed,
        Instant now,
        ImageResolver registry,
        ApplyOutcome applied) {

    /** Without a registry: for every imageResolution but Registry. */
    public RolloutInput(
            String name,
            ApiDeploymentSpec spec,
            long generation,
            String retryToken,
            ApiDeploymentStatus status,
            Observations observed,
            Instant now) {
        this(name, spec, generation, retryToken, null, null, status, observed, now, ImageResolver.NONE, null);
    }

    /** The same input once the reconciler has acted: its status is the decision's, with how the writes went. */
    public RolloutInput after(ApiDeploymentStatus decided, ApplyOutcome outcome) {
        return new RolloutInput(
                name,
                spec,
                generation,
                retryToken,
                restoreRequest,
                abortRequest,
                decided,
                observed,
                now,
                registry,
                outcome);
    }
}
