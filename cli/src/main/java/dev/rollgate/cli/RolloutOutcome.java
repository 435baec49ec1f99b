package dev.rollgate.cli;

import java.util.Set;

/**
 * Where a rollout stands for a CI job: done, undone, or not yet decided. Judged only from a status
 * that speaks of the current spec ({@code status.observedGeneration == metadata.generation}), so
 * that right after {@code kubectl apply} the previous rollout's {@code Available} is not taken for
 * the new one's.
 */
public enum RolloutOutcome {
    /** Both tiers run {@code spec.image}, complete and available: Ready True, phase Available. */
    ROLLED_OUT(ExitCodes.OK),
    /** The rollout of {@code spec.image} was reverted or failed (phase RolledBack or Failed, or Stalled True). */
    ROLLED_BACK_OR_FAILED(ExitCodes.FAILED),
    /** Anything else: a rollout or revert in flight, paused, waiting, or not yet seen by the operator. */
    IN_PROGRESS(ExitCodes.IN_PROGRESS);

    private static final Set<String> UNDONE_PHASES = Set.of("RolledBack", "Failed");

    /** The exit code of {@code status} without {@code --watch}. */
    public final int exitCode;

    RolloutOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    /** Whether {@code status --watch} stops here. */
    public boolean isFinal() {
        return this != IN_PROGRESS;
    }

    public static RolloutOutcome of(ApiDeploymentState state) {
        if (!state.observed()) {
            return IN_PROGRESS;
        }
        if (state.conditionTrue("Ready")
                && "Available".equals(state.phase())
                && !state.desiredImage().isEmpty()
                && state.desiredImage().equals(state.runningImage())) {
            return ROLLED_OUT;
        }
        if (UNDONE_PHASES.contains(state.phase()) || state.conditionTrue("Stalled")) {
            return ROLLED_BACK_OR_FAILED;
        }
        return IN_PROGRESS;
    }
}
