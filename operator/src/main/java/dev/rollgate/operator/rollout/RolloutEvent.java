package dev.rollgate.operator.rollout;

/**
 * A Kubernetes Event the decider wants recorded on the ApiDeployment.
 *
 * @param warning true for type Warning, false for Normal
 * @param reason CamelCase reason, one of {@link Reasons}
 * @param message human-readable
 */
public record RolloutEvent(boolean warning, String reason, String message) {}
