package dev.rollgate.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A subcommand about one ApiDeployment: takes its NAME, connects with the cluster flags of
 * {@link ClusterOptions}, and leaves errors to {@link KubectlRollgate}, which prints them the
 * way kubectl does and exits 1.
 */
abstract class ApiDeploymentCommand implements Callable<Integer> {
    @ParentCommand
    KubectlRollgate root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "NAME", description = "The ApiDeployment's name (kubectl get apid).")
    String name;

    @Override
    public final Integer call() throws Exception {
        try (ClusterOptions.Connection connection = root.cluster.connect()) {
            return run(connection.apiDeployments());
        }
    }

    /** Does the command's work; returns the exit code. */
    abstract int run(ApiDeployments apiDeployments) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Clock clock() {
        return root.clock;
    }

    /** kubectl's way of naming an object in what it did: {@code apideployment.rollgate.dev/web}. */
    String resourceName() {
        return "apideployment.rollgate.dev/" + name;
    }
}
