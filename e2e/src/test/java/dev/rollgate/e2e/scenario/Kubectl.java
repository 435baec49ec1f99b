package dev.rollgate.e2e.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** Runs {@code kubectl --kubeconfig=<file> <args>}; gives up after 90 s. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig=" + kubeconfig));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kubectl-", ".out");
      Path err = Files.createTempFile("kubectl-", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("kubectl did not finish in 90 s: " + command);
        }
        List<String> shown = new ArrayList<>(command);
        shown.set(0, "kubectl");
        return new Result(shown, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
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
