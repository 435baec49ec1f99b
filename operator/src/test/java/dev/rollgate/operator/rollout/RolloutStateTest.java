package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.RolloutDeciderTable.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RestoreStatus;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RolloutState#of}: one state for each input, the first whose test holds, in the order the
 * enum documents (a pause comes before an abort, an abort before everything a status says).
 */
class RolloutStateTest {

    record Case(String name, World world, RolloutState expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("first sight: starting", World.spec(V1), RolloutState.Starting),
                new Case(
                        "spec.image is status.image: steady",
                        World.spec(V1).status(Phase.Available, V1, null, V1),
                        RolloutState.Steady),
                new Case(
                        "spec.image is the failed image of this generation: blocked",
                        World.spec(V2).status(Phase.Failed, V1, null, V1).failed(V2, Reasons.CRASH_LOOP),
                        RolloutState.Blocked),
                new Case(
                        "a failed image bumped by retry: starting again",
                        World.spec(V2)
                                .with(w -> w.retryToken = "2")
                                .status(Phase.Failed, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP),
                        RolloutState.Starting),
                new Case(
                        "a target in phase Progressing: rolling out",
                        World.spec(V2).status(Phase.Progressing, V1, V2, V1),
                        RolloutState.RollingOut),
                new Case(
                        "a target while waiting for dependencies: rolling out (held)",
                        World.spec(V2).status(Phase.WaitingForDependencies, V1, V2, V1),
                        RolloutState.RollingOut),
                new Case(
                        "a target in phase RollingBack: reverting",
                        World.spec(V2).status(Phase.RollingBack, V1, V1, V1),
                        RolloutState.Reverting),
                new Case(
                        "a target in phase Migrating: migrating",
                        World.spec(V2).status(Phase.Migrating, V1, V2, V1),
                        RolloutState.Migrating),
                new Case(
                        "a target in phase BackingUp: backing up",
                        World.spec(V2).status(Phase.BackingUp, V1, V2, V1),
                        RolloutState.BackingUp),
                new Case(
                        "a restore annotation not answered yet: restore asked",
                        World.spec(V2).status(Phase.Failed, V1, null, V1).with(w -> w.restoreRequest = BACKUP_JOB),
                        RolloutState.RestoreAsked),
                new Case(
                        "phase Restoring: restoring, whatever the annotation says",
                        World.spec(V2)
                                .status(Phase.Restoring, V1, null, V1)
                                .restoring(RestoreStatus.Step.Restore, MigrationStatus.Result.Running),
                        RolloutState.Restoring),
                new Case(
                        "a new abort token comes before the rollout in flight",
                        World.spec(V2).status(Phase.Progressing, V1, V2, V1).with(w -> w.abortRequest = "1"),
                        RolloutState.Aborting),
                new Case(
                        "an abort token already handled: the state the status is in",
                        World.spec(V2).status(Phase.Progressing, V1, V2, V1).with(w -> {
                            w.abortRequest = "1";
                            w.status.abortHandled = "1";
                        }),
                        RolloutState.RollingOut),
                new Case(
                        "paused comes before everything, an abort included",
                        World.spec(V2).status(Phase.RollingBack, V1, V1, V1).with(w -> {
                            w.spec.rollout.paused = true;
                            w.abortRequest = "1";
                        }),
                        RolloutState.Paused));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void derivesExactlyOneState(Case c) {
        RolloutInput in = c.world().input();
        ApiDeploymentStatus status = in.status() == null ? new ApiDeploymentStatus() : in.status();
        assertThat(RolloutState.of(in, status)).isEqualTo(c.expected());
    }
}
