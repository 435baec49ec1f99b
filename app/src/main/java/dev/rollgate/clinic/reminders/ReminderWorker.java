package dev.rollgate.clinic.reminders;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/**
 * Works off the reminder outbox, one batch per call. Any number of workers may run at once, in one
 * process or many: {@code FOR UPDATE SKIP LOCKED} hands each due job to exactly one of them, and the job's
 * new state is committed in the same transaction that locked it.
 *
 * <p>The claim is native SQL through the ORM session (JPA's lock hints cannot say {@code SKIP LOCKED} for
 * one table of a join on every dialect); the claimed jobs are then loaded as {@link ReminderJob} entities
 * with their appointment and patient, and their new state is written by the ORM at the flush.
 *
 * <p>A job whose delivery fails is retried after {@code retryDelay}; after {@code maxAttempts} failures it
 * is PARKED — kept for a human, never retried forever.
 *
 * <p>Delivery is exactly-once with respect to the database. If the commit after a successful send is lost,
 * the job runs again (at-least-once towards the outside world), which is the honest guarantee of an outbox.
 */
public final class ReminderWorker {

    /** How a worker treats jobs. */
    public record Policy(int batchSize, int maxAttempts, Duration retryDelay) {}

    private static final String CLAIM = """
            SELECT j.id
              FROM reminder_jobs j
             WHERE j.status = 'PENDING' AND j.run_after <= now()
             ORDER BY j.run_after, j.id
             LIMIT :batch
               FOR UPDATE OF j SKIP LOCKED""";

    private static final String LOAD = """
            from ReminderJob j join fetch j.appointment a join fetch a.patient
            where j.id in :ids order by j.runAfter, j.id""";

    private final AwaitReadyDatabase database;
    private final ReminderSender sender;
    private final Policy policy;
    private final Clock clock;

    public ReminderWorker(AwaitReadyDatabase database, ReminderSender sender, Policy policy) {
        this(database, sender, policy, Clock.systemUTC());
    }

    public ReminderWorker(AwaitReadyDatabase database, ReminderSender sender, Policy policy, Clock clock) {
        this.database = database;
        this.sender = sender;
        this.policy = policy;
        this.clock = clock;
    }

    /** Claims up to one batch of due jobs, delivers them and records the outcome. Returns how many it claimed. */
    public int processBatch() {
        return database.inTransaction(session -> {
            List<ReminderJob> jobs = claim(session);
            for (ReminderJob job : jobs) {
                deliver(job);
            }
            return jobs.size();
        });
    }

    private List<ReminderJob> claim(Session session) {
        List<Long> ids = session.createNativeQuery(CLAIM, Long.class)
                .setParameter("batch", policy.batchSize())
                .getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return session.createSelectionQuery(LOAD, ReminderJob.class)
                .setParameter("ids", ids)
                .getResultList();
    }

    private void deliver(ReminderJob job) {
        try {
            sender.send(job.toReminder());
        } catch (RuntimeException failure) {
            Instant now = clock.instant();
            job.failed(failure, policy.maxAttempts(), now, now.plus(policy.retryDelay()));
            return;
        }
        job.delivered(clock.instant());
    }
}
