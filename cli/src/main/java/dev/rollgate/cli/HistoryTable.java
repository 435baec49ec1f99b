package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code status.history} as a table, oldest first and newest last — the order the operator keeps
 * it in, and the order of {@code kubectl rollout history} — so that the latest rollout is the line
 * next to the prompt:
 *
 * <pre>
 * STARTED                FINISHED               DURATION   IMAGE                             RESULT       REASON
 * 2026-01-05T10:00:00Z   2026-01-05T10:00:41Z   41s        rollgate/clinic:1.1.0             Succeeded    RolloutSucceeded
 * 2026-01-05T10:05:00Z   2026-01-05T10:05:12Z   12s        rollgate/clinic:1.2.0-crashloop   RolledBack   CrashLoopBackOff
 * </pre>
 */
public final class HistoryTable {
    private HistoryTable() {}

    public static String render(JsonNode history) {
        Table table = new Table("STARTED", "FINISHED", "DURATION", "IMAGE", "RESULT", "REASON");
        for (JsonNode entry : history) {
            String started = ApiDeploymentState.text(entry, "startedAt");
            String finished = ApiDeploymentState.text(entry, "finishedAt");
            table.row(
                    started,
                    finished,
                    duration(started, finished),
                    ApiDeploymentState.text(entry, "image"),
                    ApiDeploymentState.text(entry, "result"),
                    ApiDeploymentState.text(entry, "reason"));
        }
        return table.render();
    }

    /** kubectl's human form of finished - started, or empty when either is missing or unreadable. */
    static String duration(String started, String finished) {
        try {
            return Durations.human(Duration.between(Instant.parse(started), Instant.parse(finished)));
        } catch (DateTimeParseException e) {
            return "";
        }
    }
}
