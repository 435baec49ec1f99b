package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per status a CI job may meet, with the outcome and the exit code of {@code status}. */
class RolloutOutcomeTest {
    static final String OLD = "rollgate/clinic:1.1.0";
    static final String NEW = "rollgate/clinic:1.2.0";

    static Stream<Arguments> rows() {
        return Stream.of(
                row(
                        "rolled out: observed, Ready True, Available on spec.image",
                        ApiDeploymentJson.named("web", NEW)
                                .observed("Available", NEW, "3/3")
                                .condition("Ready", "True", "RolledOut", ""),
                        RolloutOutcome.ROLLED_OUT,
                        0),
                row(
                        "just applied: the status still tells of the previous generation's Available",
                        ApiDeploymentJson.named("web", NEW)
                                .generation(5)
                                .observed("Available", OLD, "3/3")
                                .observedGeneration(4)
                                .condition("Ready", "True", "RolledOut", ""),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "just applied: the status still tells of the previous generation's revert",
                        ApiDeploymentJson.named("web", NEW)
                                .generation(5)
                                .observed("RolledBack", OLD, "3/3")
                                .observedGeneration(4)
                                .condition("Stalled", "True", "RolledBack", ""),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row("no status yet", ApiDeploymentJson.named("web", NEW), RolloutOutcome.IN_PROGRESS, 3),
                row(
                        "Available and Ready True, but another image runs than spec.image",
                        ApiDeploymentJson.named("web", NEW)
                                .observed("Available", OLD, "3/3")
                                .condition("Ready", "True", "RolledOut", ""),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "Available without a Ready condition (an operator without the kstatus conditions)",
                        ApiDeploymentJson.named("web", NEW).observed("Available", NEW, "3/3"),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "Progressing, Reconciling True",
                        ApiDeploymentJson.named("web", NEW)
                                .observed("Progressing", OLD, "3/3")
                                .target(NEW)
                                .condition("Ready", "False", "RolloutInProgress", "")
                                .condition("Reconciling", "True", "RolloutInProgress", ""),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "RollingBack: the revert is not complete yet",
                        ApiDeploymentJson.named("web", NEW)
                                .observed("RollingBack", OLD, "2/3")
                                .target(OLD)
                                .condition("Stalled", "False", "RevertInProgress", ""),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "Paused",
                        ApiDeploymentJson.named("web", NEW).observed("Paused", OLD, "3/3"),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "RolledBack",
                        ApiDeploymentJson.named("web", NEW)
                                .observed("RolledBack", OLD, "3/3")
                                .failedImage(NEW, "CrashLoopBackOff", "x"),
                        RolloutOutcome.ROLLED_BACK_OR_FAILED,
                        1),
                row(
                        "Failed (first install, or onFailure Hold)",
                        ApiDeploymentJson.named("web", NEW).observed("Failed", "", "0/3"),
                        RolloutOutcome.ROLLED_BACK_OR_FAILED,
                        1),
                row(
                        "just retried: the retry token is newer than the failure on record (no generation change)",
                        ApiDeploymentJson.named("web", NEW)
                                .annotation("rollgate.dev/retry", "t2")
                                .observed("RolledBack", OLD, "3/3")
                                .failedImage(NEW, "CrashLoopBackOff", "x"),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "retried and failed again: the failure carries the retry token",
                        ApiDeploymentJson.named("web", NEW)
                                .annotation("rollgate.dev/retry", "t2")
                                .observed("RolledBack", OLD, "3/3")
                                .failedImage(NEW, "CrashLoopBackOff", "x")
                                .failedRetryToken("t2"),
                        RolloutOutcome.ROLLED_BACK_OR_FAILED,
                        1),
                row(
                        "just aborted: the operator has not handled the token yet",
                        ApiDeploymentJson.named("web", NEW)
                                .annotation("rollgate.dev/abort", "t1")
                                .observed("Progressing", OLD, "3/3")
                                .target(NEW)
                                .statusField("abortHandled", "t0"),
                        RolloutOutcome.IN_PROGRESS,
                        3),
                row(
                        "Stalled True in another phase: a write the API server refuses",
                        ApiDeploymentJson.named("web", NEW)
                                .observed("Progressing", OLD, "3/3")
                                .condition("Stalled", "True", "ApplyFailed", ""),
                        RolloutOutcome.ROLLED_BACK_OR_FAILED,
                        1));
    }

    private static Arguments row(String name, ApiDeploymentJson json, RolloutOutcome outcome, int exitCode) {
        return Arguments.of(Named.of(name, json.state()), outcome, exitCode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void judgesTheRolloutOfSpecImage(ApiDeploymentState state, RolloutOutcome expected, int exitCode) {
        assertThat(RolloutOutcome.of(state)).isEqualTo(expected);
        assertThat(RolloutOutcome.of(state).exitCode).isEqualTo(exitCode);
        assertThat(RolloutOutcome.of(state).isFinal()).isEqualTo(expected != RolloutOutcome.IN_PROGRESS);
    }
}
