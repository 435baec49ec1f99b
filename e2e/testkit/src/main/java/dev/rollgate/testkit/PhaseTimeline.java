package dev.rollgate.testkit;

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
 * 19:44:04    +1.5s  Progressing            desired rollgate/clinic:1.1.0           running rollgate/clinic:1.0.0    api 3/2 (1 new)  worker 1/1 (0 new)  -> rollgate/clinic:1.1.0
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
        String line = String.format(
                "%-22s desired %-31s running %-24s api %s  worker %s%s",
                text(status, "phase", "-"),
                text(apiDeployment.path("spec"), "image", "-"),
                text(status, "image", "-"),
                counts(status.path("api")),
                counts(status.path("worker")),
                target.isEmpty() ? "" : "  -> " + target);
        if (!line.equals(lastLine)) {
            lastLine = line;
            out.printf(
                    "%s%s %+6.1fs  %s%n",
                    prefix, LocalTime.now().format(CLOCK), (System.nanoTime() - start) / 1e9, line);
        }
        String cause = cause(status);
        if (cause != null && !Objects.equals(cause, lastCause)) {
            out.printf("%s%18s%s%n", prefix, "cause: ", cause);
        }
        lastCause = cause;
    }

    /** Why the last rollout was reverted: the failed image's reason and message, or null. */
    public static String cause(JsonNode status) {
        JsonNode failed = status.path("failedImage");
        if (failed.isMissingNode()
                || failed.isNull()
                || failed.path("image").asText("").isEmpty()) {
            return null;
        }
        return String.format(
                "%s failed with %s: %s",
                failed.path("image").asText(),
                failed.path("reason").asText("?"),
                failed.path("message").asText(""));
    }

    /** "ready/desired (updated new)", e.g. {@code 3/2 (1 new)} while a surge pod of the new image is up. */
    private static String counts(JsonNode tier) {
        if (tier.isMissingNode()) {
            return "-/-        ";
        }
        return String.format(
                "%-11s",
                tier.path("ready").asInt() + "/" + tier.path("replicas").asInt() + " ("
                        + tier.path("updated").asInt() + " new)");
    }

    private static String text(JsonNode node, String field, String otherwise) {
        String s = node.path(field).asText("");
        return s.isEmpty() ? otherwise : s;
    }
}
