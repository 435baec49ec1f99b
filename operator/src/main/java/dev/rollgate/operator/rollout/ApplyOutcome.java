package dev.rollgate.operator.rollout;

/**
 * What the last attempt to write the owned objects (Deployments, Service, Jobs) came to, as the
 * reconciler saw it after acting on a decision. The decider turns it into the Synced condition,
 * and a refused write into Stalled, Ready False and a phase that is not Available.
 *
 * @param succeeded whether every write was accepted (or had nothing to change)
 * @param message the API server's own words for a refused write, naming the object; null on success
 */
public record ApplyOutcome(boolean succeeded, String message) {
    public static final ApplyOutcome SUCCEEDED = new ApplyOutcome(true, null);

    public static ApplyOutcome refused(String message) {
        return new ApplyOutcome(false, message);
    }
}
