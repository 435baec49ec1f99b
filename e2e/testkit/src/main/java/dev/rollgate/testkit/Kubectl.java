package dev.rollgate.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real kubectl binary run with an explicit {@code --kubeconfig}, as a user would type it. */
public final class Kubectl {
    private final Path binary;
    private final Path kubeconfig;

    public Kubectl(Path binary, Path kubeconfig) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
    }

    /** What one command printed and how it exited. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "$ " + String.join(" ", command) + "\n" + stdout + stderr + "(exit " + exitCode + ")";
        }
    }

    /** A kubectl of this cluster (its own binary) with the admin kubeconfig. */
    public static Kubectl admin(LocalKubernetes cluster) {
        return new Kubectl(cluster.kubectl(), cluster.kubeconfig());
    }

    /** Runs {@code kubectl --kubeconfig=<file> <args>}; gives up after 90 s. */
    public Result run(String... args) {
        return runWithInput("", args);
    }

    /** Like {@link #run(String...)}, with {@code stdin} on standard input, e.g. for {@code apply -f -}. */
    public Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        return exec(command, Map.of(), Duration.ofSeconds(90), stdin);
    }

    /**
     * Runs {@code kubectl <args>} for a plugin, e.g. {@code kubectl rollgate status clinic}: with
     * {@code pluginDir} first on PATH, where kubectl looks for {@code kubectl-<name>} executables, and
     * the kubeconfig in {@code KUBECONFIG}, because kubectl refuses flags before a plugin's name.
     * {@code JAVA_HOME} is this JVM's, for plugins that run on Java. Gives up after {@code limit}.
     */
    public Result plugin(Path pluginDir, Duration limit, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Map<String, String> env = Map.of(
                "PATH",
                        pluginDir.toAbsolutePath()
                                + File.pathSeparator
                                + System.getenv().getOrDefault("PATH", ""),
                "KUBECONFIG", kubeconfig.toString(),
                "JAVA_HOME", System.getProperty("java.home"));
        return exec(command, env, limit, "");
    }

    private static Result exec(List<String> command, Map<String, String> env, Duration limit, String stdin) {
        try {
            Path out = Files.createTempFile("kubectl-", ".out");
            Path err = Files.createTempFile("kubectl-", ".err");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(env);
                Process p = builder.start();
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            "kubectl did not finish in " + limit.toSeconds() + " s: " + command);
                }
                List<String> shown = new ArrayList<>(command);
                shown.set(0, "kubectl");
                return new Result(
                        shown,
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
