package dev.rollgate.operator.runtime;

import dev.rollgate.operator.rollout.RolloutDecider;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The decider as a bean, so that the reconciler is handed it rather than making it. Singleton,
 * not application-scoped: the decider keeps nothing between calls, and as a final class it
 * could not sit behind a client proxy.
 */
public class RolloutDeciderProducer {
    @Produces
    @Singleton
    RolloutDecider decider() {
        return new RolloutDecider();
    }
}
