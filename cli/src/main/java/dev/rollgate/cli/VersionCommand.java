package dev.rollgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubectl rollgate version} (and {@code --version}): this plugin's version and the API it speaks. */
@Command(
        name = "version",
        header = "Print the plugin's version.",
        description = "Print the plugin's version and the ApiDeployment API version it reads and writes.")
final class VersionCommand implements Callable<Integer>, IVersionProvider {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        for (String line : getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return ExitCodes.OK;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "kubectl-rollgate " + version() + " (ApiDeployment " + ApiDeployments.TYPE.getGroup() + "/"
                    + ApiDeployments.TYPE.getVersion() + ", Java " + Runtime.version() + ")"
        };
    }

    /** The Maven project version, filtered into dev/rollgate/cli/version.properties at build time. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
