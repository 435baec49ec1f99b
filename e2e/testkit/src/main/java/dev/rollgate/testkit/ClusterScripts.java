package dev.rollgate.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code e2e/cluster/up.sh} and {@code down.sh} on behalf of this JVM, registered by its PID
 * so that the scripts know which test JVMs still use the cluster.
 */
final class ClusterScripts {
    private final Path dir;
    private final long pid = ProcessHandle.current().pid();

    private ClusterScripts(Path dir) {
        this.dir = dir;
    }

    /**
     * Finds {@code e2e/cluster}: from {@code rollgate.clusterScripts} / {@code ROLLGATE_CLUSTER_SCRIPTS}
     * if set, else in the working directory or one of its parents (Maven runs tests in the module's
     * directory, e.g. {@code e2e/} or {@code operator/}).
     */
    static ClusterScripts locate() {
        String configured = LocalKubernetes.setting("rollgate.clusterScripts", "ROLLGATE_CLUSTER_SCRIPTS");
        if (configured != null) {
            return new ClusterScripts(Path.of(configured).toAbsolutePath());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("e2e/cluster");
            if (Files.isExecutable(candidate.resolve("up.sh"))) {
                return new ClusterScripts(candidate);
            }
        }
        throw new IllegalStateException(
                "cannot find e2e/cluster/up.sh above " + Path.of("").toAbsolutePath()
                        + "; set ROLLGATE_CLUSTER_SCRIPTS, or ROLLGATE_KUBECONFIG to use an existing cluster");
    }

    /** Brings the cluster up (or reuses it) and returns up.sh's KEY=VALUE result lines. */
    Map<String, String> up() {
        Map<String, String> result = new HashMap<>();
        for (String line : run(List.of(dir.resolve("up.sh").toString(), "--for-tests", Long.toString(pid)), Map.of())) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                result.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (String key : List.of("KUBECONFIG", "ROLLGATE_AUDIT_LOG", "ROLLGATE_KUBECTL")) {
            if (!result.containsKey(key)) {
                throw new IllegalStateException("up.sh did not report " + key + "; it printed " + result);
            }
        }
        return result;
    }

    /** Runs {@code node.sh} with these arguments (the real node: import, volume, logs, up, down, state). */
    List<String> node(String... args) {
        return run(command("node.sh", args), Map.of());
    }

    /** The registry's binary, built into the cache by {@code registry.sh build} when missing. */
    Path registryBinary() {
        return builtBinary("registry.sh", "build");
    }

    /** kube-score, built into the cache by {@code kube-score.sh} when missing. */
    Path kubeScore() {
        return builtBinary("kube-score.sh");
    }

    /** The kstatus tool (kstatus/main.go over sigs.k8s.io/cli-utils), built into the cache by {@code kstatus.sh}. */
    Path kstatus() {
        return builtBinary("kstatus.sh");
    }

    /** Runs a script that builds a binary when missing and prints its path as its last line. */
    private Path builtBinary(String script, String... args) {
        List<String> out = run(command(script, args), Map.of());
        return Path.of(out.get(out.size() - 1).trim());
    }

    private List<String> command(String script, String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(dir.resolve(script).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Leaves the cluster; down.sh stops it if this JVM's tests were its last users. */
    void down(boolean keep) {
        try {
            run(
                    List.of(dir.resolve("down.sh").toString(), "--for-tests", Long.toString(pid)),
                    Map.of("ROLLGATE_KEEP_CLUSTER", Boolean.toString(keep)));
        } catch (RuntimeException e) {
            System.err.println("[rollgate-testkit] " + e.getMessage());
        }
    }

    /**
     * Runs a script: its stderr (progress) is copied line by line to this JVM's stderr, its stdout
     * returned. Not inherited: Surefire talks to its forked JVM over the standard streams.
     */
    private static List<String> run(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            Thread pump = new Thread(() -> copyLines(process), "rollgate-cluster-progress");
            pump.setDaemon(true);
            pump.start();
            List<String> out;
            try (BufferedReader stdout =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out = stdout.lines().toList();
            }
            int exit = process.waitFor();
            pump.join(5_000);
            if (exit != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with exit code " + exit + " (its output is above)");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static void copyLines(Process process) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            err.lines().forEach(System.err::println);
        } catch (IOException ignored) {
            // the process is gone; nothing more to show
        }
    }
}
