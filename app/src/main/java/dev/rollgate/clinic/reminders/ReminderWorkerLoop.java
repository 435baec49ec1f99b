package dev.rollgate.clinic.reminders;

import dev.rollgate.clinic.config.ClinicConfig;
import dev.rollgate.clinic.config.Role;
import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.data.DatabaseNotReadyException;
import dev.rollgate.clinic.data.IdempotentCreates;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the {@link ReminderWorker} in the worker role: drain the due jobs, then wait
 * {@code clinic.worker.poll-interval} on a scheduler before looking again. Also purges old idempotency
 * records, a housekeeping job the api tier should not spend request threads on.
 */
@ApplicationScoped
public class ReminderWorkerLoop {

    private static final Logger LOG = Logger.getLogger(ReminderWorkerLoop.class);
    private static final long PURGE_EVERY_MINUTES = 10;

    @Inject
    ClinicConfig config;

    @Inject
    AwaitReadyDatabase database;

    @Inject
    ReminderSender sender;

    @Inject
    IdempotentCreates idempotentCreates;

    @Inject
    Clock clock;

    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent event) {
        if (config.role() != Role.WORKER) {
            return;
        }
        ClinicConfig.Worker settings = config.worker();
        ReminderWorker worker = new ReminderWorker(
                database,
                sender,
                new ReminderWorker.Policy(settings.batchSize(), settings.maxAttempts(), settings.retryDelay()),
                clock);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "clinic-reminders"));
        scheduler.scheduleWithFixedDelay(
                () -> drain(worker, settings.batchSize()),
                0,
                settings.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::purgeIdempotencyRecords, PURGE_EVERY_MINUTES, PURGE_EVERY_MINUTES, TimeUnit.MINUTES);
        LOG.infof("Worker role: reminder loop started (poll every %s)", settings.pollInterval());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void drain(ReminderWorker worker, int batchSize) {
        try {
            // A full batch suggests more are due: keep going without waiting for the next poll.
            while (worker.processBatch() == batchSize && !Thread.currentThread().isInterrupted()) {
                LOG.debug("Full batch processed; polling again at once");
            }
        } catch (DatabaseNotReadyException e) {
            LOG.debugf("Reminder loop idle: %s", e.getMessage());
        } catch (RuntimeException e) {
            // The scheduler would silently stop a task that throws; log and try again next poll.
            LOG.error("Reminder batch failed", e);
        }
    }

    private void purgeIdempotencyRecords() {
        try {
            int purged = idempotentCreates.purgeOlderThan(config.worker().idempotencyRetention());
            LOG.debugf("Purged %d idempotency records", purged);
        } catch (RuntimeException e) {
            LOG.warn("Purging idempotency records failed; will retry", e);
        }
    }
}
