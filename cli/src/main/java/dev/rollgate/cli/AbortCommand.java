package dev.rollgate.cli;

import picocli.CommandLine.Command;

/** {@code kubectl rollgate abort NAME}: stop the rollout in flight and go back to the last known-good image. */
@Command(
        name = "abort",
        header = "Stop the rollout in flight and revert to the last known-good image.",
        description = {
            "Stop the rollout in flight: sets the annotation rollgate.dev/abort to a new token (the time). The "
                    + "operator handles each value once (status.abortHandled): the rollout fails with reason Aborted and "
                    + "both tiers go back to status.lastKnownGood, whatever spec.rollout.onFailure says (a backup or "
                    + "migration Job in flight is left to finish). Fails when no rollout is in flight (status.targetImage "
                    + "is not set). Follow it with: kubectl rollgate status NAME --watch."
        })
final class AbortCommand extends ApiDeploymentCommand {

    @Override
    int run(ApiDeployments apiDeployments) {
        ApiDeploymentState state = apiDeployments.get(name);
        if (state.targetImage().isEmpty()) {
            throw CommandFailure.error("apideployment \"" + name + "\" has no rollout in flight");
        }
        apiDeployments.requestAbort(name, RetryCommand.TOKEN.format(clock().instant()));
        String knownGood = ApiDeploymentState.text(state.lastKnownGood(), "image");
        out().println(resourceName() + " abort requested (back to " + (knownGood.isEmpty() ? "<none>" : knownGood)
                + ")");
        return ExitCodes.OK;
    }
}
