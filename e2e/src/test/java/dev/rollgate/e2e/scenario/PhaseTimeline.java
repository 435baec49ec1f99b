package dev.rollgate.e2e.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Prints one line each time an ApiDeployment's status changes in a way a person cares about:
 * phase, desired and running image, ready counts, and — when a rollout failed — its cause.
 *
 * <pre>
 * 19:41:02    +3.4s  Progressing      desired rollgate/clinic:1.1.0        running rollgate/clinic:1.0.0        api 1/2  worker 0/1  -> rollgate/clinic:1.1.0
 * </pre>
 */
public final class PhaseTimeline {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream out;
  private final String prefix;
  private long start = System.nanoTime();
  private String lastLine;
  private String lastCause;

  public PhaseTimeline(PrintStream out, String prefix) {
    this.out = out;
    this.prefix = prefix;
  }

  /** Counts the elapsed time from now, e.g. from the moment a new image was asked for. */
  public void restartClock() {
    start = System.nanoTime();
  }

  /** Prints the ApiDeployment's state if it changed since the last call. */
  public void observe(JsonNode apiDeployment) {
    JsonNode status = apiDeployment.path("status");
    String target = text(status, "targetImage", "");
    String line = String.format("%-16s desired %-28s running %-28s api %s  worker %s%s",
        text(status, "phase", "-"),
        text(apiDeployment.path("spec"), "image", "-"),
        text(status, "image", "-"),
        counts(status.path("api")),
        counts(status.path("worker")),
        target.isEmpty() ? "" : "  -> " + target);
    if (!line.equals(lastLine)) {
      lastLine = line;
      out.printf("%s%s  %+6.1fs  %s%n", prefix, LocalTime.now().format(CLOCK), (System.nanoTime() - start) / 1e9, line);
    }
    String cause = cause(status);
    if (cause != null && !Objects.equals(cause, lastCause)) {
      out.printf("%s%s%n", prefix, cause);
    }
    lastCause = cause;
  }

  /** Why the last rollout was reverted: the failed image's reason and message, or null. */
  public static String cause(JsonNode status) {
    JsonNode failed = status.path("failedImage");
    if (failed.isMissingNode() || failed.isNull() || failed.path("image").asText("").isEmpty()) {
      return null;
    }
    return String.format("                    cause: %s failed with %s — %s",
        failed.path("image").asText(), failed.path("reason").asText("?"), failed.path("message").asText(""));
  }

  private static String counts(JsonNode tier) {
    return tier.isMissingNode() ? "-/-" : tier.path("ready").asInt() + "/" + tier.path("replicas").asInt();
  }

  private static String text(JsonNode node, String field, String otherwise) {
    String s = node.path(field).asText("");
    return s.isEmpty() ? otherwise : s;
  }
}
