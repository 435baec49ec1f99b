package dev.rollgate.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The API server's audit log, one JSON event a line. The policy of {@code e2e/cluster} records
 * every write request (create, update, patch, delete, deletecollection) at Metadata level, once,
 * when its response is complete.
 *
 * <pre>{@code
 * AuditLog.Mark before = audit.mark();
 * ... make a request ...
 * AuditEvent e = audit.await(Duration.ofSeconds(10), "the create of configmap x",
 *     ev -> ev.verb().equals("create") && "x".equals(ev.name()), before);
 * }</pre>
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;

    AuditLog(Path path) {
        this.path = path;
    }

    /** A point in the log; events written after it can be read with {@link #eventsSince(Mark)}. */
    public record Mark(long offset) {}

    public Path path() {
        return path;
    }

    /** The current end of the log. */
    public Mark mark() {
        try {
            return new Mark(Files.size(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event in the log. */
    public List<AuditEvent> events() {
        return eventsSince(new Mark(0));
    }

    /** The events written after the mark. */
    public List<AuditEvent> eventsSince(Mark mark) {
        List<AuditEvent> events = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long offset = mark.offset() <= file.length() ? mark.offset() : 0; // rotated: start over
            file.seek(offset);
            byte[] rest = new byte[(int) (file.length() - offset)];
            file.readFully(rest);
            String text = new String(rest, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n'); // a line being written is not an event yet
            for (String line : text.substring(0, end + 1).split("\n")) {
                if (!line.isBlank()) {
                    events.add(AuditEvent.of(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + path, e);
        }
        return events;
    }

    /** The first event after the mark that matches. */
    public Optional<AuditEvent> find(Predicate<AuditEvent> matches, Mark since) {
        return eventsSince(since).stream().filter(matches).findFirst();
    }

    /**
     * Waits for an event after the mark that matches: the API server writes an event when the
     * response is complete, which may be a moment after the client has it.
     */
    public AuditEvent await(Duration timeout, String what, Predicate<AuditEvent> matches, Mark since) {
        return Await.until(timeout, what + " in the audit log " + path, () -> find(matches, since));
    }
}
