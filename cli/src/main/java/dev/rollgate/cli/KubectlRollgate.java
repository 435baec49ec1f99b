package dev.rollgate.cli;

import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl rollgate}: the kubectl plugin of Rollgate (the executable {@code kubectl-rollgate}
 * on PATH). Lists the subcommands and the exit codes, holds the cluster flags they share, and
 * reports failures as kubectl does: one line on stderr ({@code error: ...} or
 * {@code Error from server (Reason): ...}), exit code 1.
 */
@Command(
        name = "kubectl rollgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.class,
        usageHelpAutoWidth = true,
        description = {
            "Follow, undo and steer the rollouts of Rollgate's ApiDeployments (apideployments.rollgate.dev, short "
                    + "name apid).",
            "",
            "The cluster flags (-n/--namespace, --context, --kubeconfig) work as kubectl's and go before or after the "
                    + "command; KUBECONFIG and the context's namespace are honoured. Every command has --help."
        },
        subcommands = {
            StatusCommand.class, HistoryCommand.class, RetryCommand.class, AbortCommand.class,
            PauseCommands.Pause.class, PauseCommands.Resume.class, VersionCommand.class, HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done: rolled out (status), or the request was written",
            "1:rolled back or failed (status); or an error: not found, refused by the API server, bad flags",
            "2:status --watch: the --timeout passed while the rollout was still in progress",
            "3:status without --watch: the rollout is still in progress"
        },
        footerHeading = "%nExample (CI, after applying a new image):%n",
        footer = {
            "  kubectl patch apid web --type merge -p '{\"spec\":{\"image\":\"web:1.4.3\"}}'",
            "  kubectl rollgate status web --watch --timeout 10m"
        })
public final class KubectlRollgate implements Runnable {

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    /** The time for the timeline and the retry token; fixed in tests. */
    final Clock clock;

    KubectlRollgate(Clock clock) {
        this.clock = clock;
    }

    /** Without a command: the help, as kubectl prints it. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // exit explicitly: the client's threads must not keep the JVM alive
        System.exit(execute(
                args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), Clock.systemDefaultZone()));
    }

    /** Runs one command line; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Clock clock) {
        try {
            return new CommandLine(new KubectlRollgate(clock))
                    .setOut(out)
                    .setErr(err)
                    .setParameterExceptionHandler(KubectlRollgate::badUsage)
                    .setExecutionExceptionHandler(KubectlRollgate::failed)
                    .execute(args);
        } finally {
            // autoflush covers println only: a table printed with print() must reach the terminal before exit
            out.flush();
            err.flush();
        }
    }

    /** kubectl's words for a bad command line, and its exit code 1 (picocli's 2 is the timeout here). */
    private static int badUsage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("error: " + e.getMessage());
        command.getErr().println("See '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.FAILED;
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        if (e instanceof CommandFailure) {
            command.getErr().println(e.getMessage());
        } else {
            command.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        return ExitCodes.FAILED;
    }
}
