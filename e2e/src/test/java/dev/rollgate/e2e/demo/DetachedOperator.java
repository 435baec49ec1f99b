package dev.rollgate.e2e.demo;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The demo's operator: the packaged operator jar as a local process that outlives the demo's JVM
 * (in its own session, so a Ctrl-C in the terminal does not reach it), with its PID and port in the
 * demo's state directory so that {@code e2e/demo.sh down} can stop it by PID. The test suite uses
 * the test kit's {@code OperatorProcess} instead, which dies with the test JVM.
 */
final class DetachedOperator {
  private DetachedOperator() {}

  /** Starts the operator and waits until its readiness endpoint answers 200; returns its PID. */
  static long start(Path jar, Path kubeconfig, Map<String, String> extraEnv, Path stateDir) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("operator jar " + jar + " is missing: build it with ./mvnw -B -pl e2e -am package -DskipTests");
    }
    int port = freeLoopbackPort();
    Path log = stateDir.resolve("operator.log");
    ProcessBuilder pb = new ProcessBuilder(List.of("setsid",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("KUBERNETES_SERVICE_HOST");
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("ROLLGATE_HTTP_PORT", Integer.toString(port));
    env.put("ROLLGATE_HTTP_HOST", "127.0.0.1");
    env.putAll(extraEnv);
    Process process = pb.start();
    // setsid execs the JVM in place (the child is no process-group leader), so this is the operator's PID
    Files.writeString(stateDir.resolve("operator.pid"), process.pid() + "\n");
    awaitReady(process, port, log, Duration.ofSeconds(60));
    return process.pid();
  }

  private static void awaitReady(Process process, int port, Path log, Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
      }
      try {
        var c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IllegalStateException("the operator was not ready within " + timeout.toSeconds() + " s; see " + log);
  }

  private static int freeLoopbackPort() throws IOException {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
