package dev.rollgate.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code operator/target/quarkus-app/quarkus-run.jar}, or the system
 * property {@code rollgate.operator.jar}) run as a separate process with a kubeconfig, the way it
 * runs outside a cluster. KWOK pods run no containers, so this is how the tests run the operator:
 * as a local process under the identity the kubeconfig carries. Stopping it by PID is the test's job;
 * a JVM shutdown hook kills whatever a failed test left running.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final Process process;
    private final int port;
    private final Path log;

    private OperatorProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the operator and waits until its readiness endpoint answers 200. */
    public static OperatorProcess start(Path kubeconfig, String name, Map<String, String> extraEnv) {
        String jar = jar();
        try {
            int port = freePort();
            Path log = Path.of("target", "operator-logs", name + "-" + System.currentTimeMillis() + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = builder(command(List.of(java()), jar), kubeconfig, port, log, extraEnv);
            OperatorProcess op = new OperatorProcess(pb.start(), port, log);
            RUNNING.add(op.process);
            op.awaitReady(Duration.ofSeconds(60));
            return op;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the operator", e);
        }
    }

    /**
     * Starts the operator in a session of its own ({@code setsid}) that outlives this JVM: neither
     * the shutdown hook nor a Ctrl-C in the terminal stops it. For the demo, which leaves the
     * operator running; stop it by the returned PID. Waits until it is ready, like {@link #start}.
     */
    public static long startDetached(Path kubeconfig, Path log, Map<String, String> extraEnv) {
        String jar = jar();
        try {
            int port = freePort();
            // setsid execs the JVM in place (a child of this JVM is no process-group leader): same PID
            ProcessBuilder pb = builder(command(List.of("setsid", java()), jar), kubeconfig, port, log, extraEnv)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            OperatorProcess op = new OperatorProcess(pb.start(), port, log);
            op.awaitReady(Duration.ofSeconds(60));
            return op.pid();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the operator", e);
        }
    }

    /** The JVM's options: {@code rollgate.operator.jvmOptions} (space-separated), else -Xmx256m. */
    private static List<String> command(List<String> java, String jar) {
        List<String> command = new java.util.ArrayList<>(java);
        for (String option : System.getProperty("rollgate.operator.jvmOptions", "-Xmx256m")
                .trim()
                .split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.add("-jar");
        command.add(jar);
        return command;
    }

    private static String jar() {
        String jar = System.getProperty("rollgate.operator.jar", "target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(Path.of(jar)) && Files.exists(Path.of("../operator/target/quarkus-app/quarkus-run.jar"))) {
            jar = "../operator/target/quarkus-app/quarkus-run.jar";
        }
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException("operator jar " + jar + " is missing: run the package phase first");
        }
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static ProcessBuilder builder(
            List<String> command, Path kubeconfig, int port, Path log, Map<String, String> extraEnv) {
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.remove("KUBERNETES_SERVICE_HOST");
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("ROLLGATE_HTTP_PORT", Integer.toString(port));
        env.put("ROLLGATE_HTTP_HOST", "127.0.0.1");
        env.put("ROLLGATE_LEADER_ELECTION", "false");
        env.put("ROLLGATE_LOG_LEVEL", "DEBUG");
        env.putAll(extraEnv);
        return pb;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public int port() {
        return port;
    }

    public String get(String path) throws IOException {
        var c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("operator exited with " + process.exitValue() + "; log: " + tail());
            }
            try {
                var c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready")
                        .toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("operator not ready within " + timeout + "; log: " + tail());
    }

    /** SIGKILL: the operator gets no chance to finish anything, as in a node crash. */
    public void kill() {
        process.destroyForcibly();
        waitExit();
    }

    /** SIGTERM, then SIGKILL if it does not stop in time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        waitExit();
    }

    private void waitExit() {
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    public String tail() {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
