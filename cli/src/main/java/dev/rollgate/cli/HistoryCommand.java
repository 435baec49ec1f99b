package dev.rollgate.cli;

import picocli.CommandLine.Command;

/** {@code kubectl rollgate history NAME}: the operator's record of the last rollouts. */
@Command(
        name = "history",
        header = "List the last rollouts, oldest first, newest last.",
        description = {
            "List the last rollouts of an ApiDeployment (status.history, the operator keeps 10), oldest first and "
                    + "newest last, as kubectl rollout history does: when each started and finished, how long it took, "
                    + "the image, the result (Succeeded, RolledBack, Superseded, Failed, Restored) and why."
        })
final class HistoryCommand extends ApiDeploymentCommand {

    @Override
    int run(ApiDeployments apiDeployments) {
        ApiDeploymentState state = apiDeployments.get(name);
        if (state.history().isEmpty()) {
            err().println("No rollouts recorded yet for apideployment \"" + name + "\" in " + apiDeployments.namespace()
                    + " namespace.");
        } else {
            out().print(HistoryTable.render(state.history()));
        }
        return ExitCodes.OK;
    }
}
