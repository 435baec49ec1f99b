package dev.rollgate.operator.rollout;

/**
 * A Job Rollgate runs (the migration), as its controller reports it.
 *
 * @param name the Job's name
 * @param state Running until the Job controller sets Complete or Failed
 * @param timedOut failed because activeDeadlineSeconds passed
 * @param message the Job's Failed condition and the container's termination message, when it failed
 */
public record JobObservation(String name, State state, boolean timedOut, String message) {
    public enum State {
        Running,
        Succeeded,
        Failed
    }
}
