package dev.rollgate.operator.api;

/**
 * How a rollout learns the digest of {@code spec.image}: the exact bits both tiers run and a
 * revert goes back to.
 */
public enum ImageResolution {
    /**
     * The default. Both tiers roll to spec.image as written; when they are complete, the digest
     * their ready pods report ({@code containerStatuses[].imageID}) becomes the known-good digest,
     * and a revert rolls to it. Needs nothing from the registry and no credentials in the operator.
     */
    Pods,
    /**
     * Before the rollout starts, the registry resolves spec.image's tag to a digest (with the
     * credentials of spec.imagePullSecrets), and both tiers roll to {@code <image>@<digest>}: one set
     * of bits for api and worker even if the tag moves mid-rollout. No rollout starts on a tag the
     * registry cannot resolve. Reading pull secrets needs the chart's imageResolution.pullSecrets.
     */
    Registry,
    /**
     * Never pin: a revert rolls back to the tag (unless spec.image itself had a digest). For
     * runtimes that report no repository digest, or images loaded onto nodes by name.
     */
    None
}
