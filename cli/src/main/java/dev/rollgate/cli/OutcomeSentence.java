package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The one line {@code status} ends with, saying how the rollout came out, e.g.
 * {@code apideployment "web" rolled out on rollgate/clinic:1.2.0} or
 * {@code apideployment "web" rolled back to rollgate/clinic:1.1.0: CrashLoopBackOff: pod web-api-7d9 ...}.
 */
public final class OutcomeSentence {
    private OutcomeSentence() {}

    public static String of(ApiDeploymentState state, RolloutOutcome outcome) {
        String subject = "apideployment \"" + state.name() + "\"";
        return switch (outcome) {
            case ROLLED_OUT -> subject + " rolled out on " + state.desiredImage();
            case ROLLED_BACK_OR_FAILED -> subject + undone(state);
            case IN_PROGRESS -> subject + " rolling out " + state.desiredImage() + ": " + progress(state);
        };
    }

    /** What {@code status --watch} says when its time is up. */
    public static String timedOut(ApiDeploymentState state, Duration timeout) {
        return "timed out after " + Durations.format(timeout) + " waiting for apideployment \"" + state.name()
                + "\" to roll out " + state.desiredImage() + " (" + progress(state) + ")";
    }

    private static String undone(ApiDeploymentState state) {
        String cause = cause(state);
        String why = cause.isEmpty() ? "" : ": " + cause;
        return switch (state.phase()) {
            case "RolledBack" -> " rolled back to " + state.runningImage() + why;
            case "Failed" -> " failed rolling out " + state.desiredImage() + why;
            default -> " stalled in phase " + orDash(state.phase()) + why;
        };
    }

    /**
     * Why the rollout of spec.image was undone: {@code failedImage}'s reason and message when they
     * are about spec.image, else the reason and message of the Stalled (or Degraded) condition.
     */
    static String cause(ApiDeploymentState state) {
        JsonNode failed = state.failedImage();
        if (state.desiredImage().equals(ApiDeploymentState.text(failed, "image"))) {
            return join(ApiDeploymentState.text(failed, "reason"), ApiDeploymentState.text(failed, "message"));
        }
        return Stream.of("Stalled", "Degraded")
                .flatMap(type -> state.condition(type).filter(ApiDeploymentState.Condition::isTrue).stream())
                .map(c -> join(c.reason(), c.message()))
                .findFirst()
                .orElse("");
    }

    /** {@code phase Progressing, ready 2/3}, or that the operator has not seen the new spec yet. */
    static String progress(ApiDeploymentState state) {
        if (!state.observed()) {
            return "the operator has not yet observed generation " + state.generation();
        }
        return "phase " + orDash(state.phase()) + ", ready " + orDash(state.ready());
    }

    /** {@code reason: message}, either part left out when empty. */
    static String join(String reason, String message) {
        if (reason.isEmpty() || message.isEmpty()) {
            return reason + message;
        }
        return reason + ": " + message;
    }

    /** {@code -} for an absent value, as kubectl's tables show one. */
    static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
