package dev.rollgate.clinic.reminders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import dev.rollgate.clinic.data.AwaitReadyDatabase;

/**
 * Works off the reminder outbox, one batch per call. Any number of workers may run at once, in one
 * process or many: {@code FOR UPDATE SKIP LOCKED} hands each due job to exactly one of them, and the job's
 * new state is committed in the same transaction that locked it.
 *
 * <p>A job whose delivery fails is retried after {@code retryDelay}; after {@code maxAttempts} failures it
 * is PARKED — kept for a human, never retried forever.
 *
 * <p>Delivery is exactly-once with respect to the database. If the commit after a successful send is lost,
 * the job runs again (at-least-once towards the outside world), which is the honest guarantee of an outbox.
 */
public final class ReminderWorker {

    /** How a worker treats jobs. */
    public record Policy(int batchSize, int maxAttempts, Duration retryDelay) {
    }

    private static final String CLAIM = """
            SELECT j.id, j.attempts, a.id AS appointment_id, p.name, p.email, a.practitioner, a.starts_at
              FROM reminder_jobs j
              JOIN appointments a ON a.id = j.appointment_id
              JOIN patients p ON p.id = a.patient_id
             WHERE j.status = 'PENDING' AND j.run_after <= now()
             ORDER BY j.run_after, j.id
             LIMIT ?
               FOR UPDATE OF j SKIP LOCKED""";

    private final AwaitReadyDatabase database;
    private final ReminderSender sender;
    private final Policy policy;

    public ReminderWorker(AwaitReadyDatabase database, ReminderSender sender, Policy policy) {
        this.database = database;
        this.sender = sender;
        this.policy = policy;
    }

    /** Claims up to one batch of due jobs, delivers them and records the outcome. Returns how many it claimed. */
    public int processBatch() {
        return database.inTransaction(connection -> {
            List<Claimed> jobs = claim(connection);
            for (Claimed job : jobs) {
                deliver(connection, job);
            }
            return jobs.size();
        });
    }

    private record Claimed(Reminder reminder, int attempts) {
    }

    private List<Claimed> claim(Connection connection) throws SQLException {
        List<Claimed> jobs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(CLAIM)) {
            select.setInt(1, policy.batchSize());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Reminder reminder = new Reminder(rows.getLong("id"), rows.getLong("appointment_id"),
                            rows.getString("name"), rows.getString("email"), rows.getString("practitioner"),
                            rows.getObject("starts_at", OffsetDateTime.class).toInstant());
                    jobs.add(new Claimed(reminder, rows.getInt("attempts")));
                }
            }
        }
        return jobs;
    }

    private void deliver(Connection connection, Claimed job) throws SQLException {
        try {
            sender.send(job.reminder());
        } catch (RuntimeException failure) {
            recordFailure(connection, job, failure);
            return;
        }
        try (PreparedStatement done = connection.prepareStatement(
                "UPDATE reminder_jobs SET status = 'DONE', attempts = attempts + 1, finished_at = now() WHERE id = ?")) {
            done.setLong(1, job.reminder().jobId());
            done.executeUpdate();
        }
    }

    private void recordFailure(Connection connection, Claimed job, RuntimeException failure) throws SQLException {
        boolean park = job.attempts() + 1 >= policy.maxAttempts();
        try (PreparedStatement failed = connection.prepareStatement("""
                UPDATE reminder_jobs
                   SET attempts = attempts + 1, last_error = ?,
                       status = CASE WHEN ? THEN 'PARKED' ELSE 'PENDING' END,
                       finished_at = CASE WHEN ? THEN now() END,
                       run_after = now() + make_interval(secs => ?)
                 WHERE id = ?""")) {
            failed.setString(1, String.valueOf(failure));
            failed.setBoolean(2, park);
            failed.setBoolean(3, park);
            failed.setDouble(4, policy.retryDelay().toMillis() / 1000.0);
            failed.setLong(5, job.reminder().jobId());
            failed.executeUpdate();
        }
    }
}
