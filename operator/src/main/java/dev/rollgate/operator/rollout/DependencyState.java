package dev.rollgate.operator.rollout;

/**
 * A dependency StatefulSet as observed.
 *
 * @param name the StatefulSet's name
 * @param ready it exists and all its replicas are ready and on the current revision
 * @param detail why it is not ready, for the condition's message
 */
public record DependencyState(String name, boolean ready, String detail) {}
