package dev.rollgate.cli;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubectl rollgate status NAME [--watch] [--timeout 10m]}: where the rollout stands, for people and CI. */
@Command(
        name = "status",
        header = "Show where the rollout stands; --watch follows it until it is decided.",
        description = {
            "Show where the rollout of an ApiDeployment stands: phase, the desired (spec.image), running "
                    + "(status.image) and target (status.targetImage) image, ready pods, the Ready, Reconciling, Stalled, "
                    + "Progressing, Degraded and Available conditions, the known-good and the failed image.",
            "",
            "With --watch, print a timeline instead, one line per change (time, seconds since start, phase, ready "
                    + "pods, reason and message), until the rollout of spec.image is decided or --timeout passes.",
            "",
            "Rolled out: the operator has observed the current generation, condition Ready is True, status.image is "
                    + "spec.image and the phase is Available. Rolled back or failed: the operator has observed the current "
                    + "generation and the phase is RolledBack or Failed, or condition Stalled is True. Anything else is in "
                    + "progress, including a spec the operator has not observed yet (right after kubectl apply)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:rolled out on spec.image",
            "1:rolled back or failed; or an error (not found, refused, bad flags)",
            "2:--watch only: --timeout passed while still in progress",
            "3:without --watch: still in progress"
        })
final class StatusCommand extends ApiDeploymentCommand {

    @Option(
            names = {"-w", "--watch"},
            description = "Follow the rollout, one line per change, until it is rolled out, rolled back or failed.")
    boolean watch;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = Durations.Converter.class,
            description = "With --watch: how long to wait, e.g. 30s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    int run(ApiDeployments apiDeployments) throws InterruptedException {
        PrintWriter out = out();
        if (!watch) {
            ApiDeploymentState state = apiDeployments.get(name);
            out.print(StatusSummary.render(state, apiDeployments.namespace()));
            return RolloutOutcome.of(state).exitCode;
        }
        Timeline timeline = new Timeline(clock());
        RolloutWatch.Result result = new RolloutWatch(apiDeployments)
                .follow(
                        name,
                        timeout,
                        state -> timeline.observe(state).ifPresent(line -> {
                            out.println(line);
                            out.flush();
                        }));
        if (result.timedOut()) {
            err().println("error: " + OutcomeSentence.timedOut(result.last(), timeout));
            return ExitCodes.TIMEOUT;
        }
        out.println(OutcomeSentence.of(result.last(), result.outcome()));
        return result.outcome().exitCode;
    }
}
