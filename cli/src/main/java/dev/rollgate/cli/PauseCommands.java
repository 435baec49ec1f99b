package dev.rollgate.cli;

import picocli.CommandLine.Command;

/** {@code kubectl rollgate pause NAME} and {@code resume NAME}: set {@code spec.rollout.paused}. */
final class PauseCommands {
    private PauseCommands() {}

    /** Merge-patches spec.rollout.paused and says so as kubectl does. */
    abstract static class SetPaused extends ApiDeploymentCommand {
        private final boolean paused;

        SetPaused(boolean paused) {
            this.paused = paused;
        }

        @Override
        int run(ApiDeployments apiDeployments) {
            apiDeployments.setPaused(name, paused);
            out().println(resourceName() + (paused ? " paused" : " resumed"));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "pause",
            header = "Pause the ApiDeployment: nothing changes until it is resumed.",
            description =
                    "Pause the ApiDeployment (spec.rollout.paused: true): the operator changes nothing until it is "
                            + "resumed, a rollout in flight included.")
    static final class Pause extends SetPaused {
        Pause() {
            super(true);
        }
    }

    @Command(
            name = "resume",
            header = "Resume the ApiDeployment: a rollout in flight goes on.",
            description = "Resume the ApiDeployment (spec.rollout.paused: false): a rollout in flight goes on.")
    static final class Resume extends SetPaused {
        Resume() {
            super(false);
        }
    }
}
