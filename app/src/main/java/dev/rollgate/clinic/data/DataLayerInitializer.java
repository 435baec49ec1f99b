package dev.rollgate.clinic.data;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import dev.rollgate.clinic.config.ClinicConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Brings the data layer to ready in the background, and back to ready after the database was lost.
 *
 * <p>Boot never waits for PostgreSQL: the application starts, this class probes the database
 * ({@link DatabaseProbe}, a direct driver connection) with
 * {@link RetryPolicy backoff} (50 ms doubling to 250 ms by default, so a database that becomes reachable
 * is noticed within a quarter second), runs the Flyway migrations once, then opens the {@link ReadinessGate}.
 * When a statement or the readiness check loses the database, {@link #connectionLost} closes the gate and
 * the same probe loop runs again — without the migrations, which are done.
 */
@Singleton
public class DataLayerInitializer {

    private static final Logger LOG = Logger.getLogger(DataLayerInitializer.class);
    /** Log every n-th failed probe at WARN; the others go to DEBUG so an outage does not flood the log. */
    private static final int WARN_EVERY = 20;

    private final AgroalDataSource dataSource;
    private final DatabaseProbe probe;
    private final Flyway flyway;
    private final ReadinessGate gate;
    private final RetryPolicy backoff;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "clinic-data-layer-prober");
        thread.setDaemon(true);
        return thread;
    });

    /** Guarded by {@code this}: at most one probe loop runs. */
    private boolean probing;
    private volatile boolean migrated;

    @Inject
    public DataLayerInitializer(AgroalDataSource dataSource, DatabaseProbe probe, Flyway flyway, ReadinessGate gate,
            ClinicConfig config) {
        this.dataSource = dataSource;
        this.probe = probe;
        this.flyway = flyway;
        this.gate = gate;
        this.backoff = new RetryPolicy(config.db().connect().initial(), config.db().connect().max());
    }

    void onStart(@Observes StartupEvent event) {
        LOG.info("Data layer initialising in the background; requests wait until it is ready");
        synchronized (this) {
            startProbing();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        prober.shutdownNow();
    }

    /** True once the migrations ran; stays true while the database is merely unreachable. */
    public boolean isInitialised() {
        return migrated;
    }

    /** Closes the gate and probes until the database answers again. Safe to call from any thread, often. */
    public void connectionLost(Throwable cause) {
        boolean wasOpen;
        synchronized (this) {
            wasOpen = gate.isOpen();
            gate.close();
            startProbing();
        }
        if (wasOpen) {
            LOG.warnf("Lost the database (%s); the data layer is not ready until it reconnects", describe(cause));
        }
        // Pooled connections opened before the loss are dead; new ones are opened on demand.
        dataSource.flush(AgroalDataSource.FlushMode.IDLE);
    }

    /** Caller holds the monitor. */
    private void startProbing() {
        if (!probing) {
            probing = true;
            schedule(1, Duration.ZERO);
        }
    }

    private void probe(int attempt) {
        try {
            probe.connect();
            if (!migrated) {
                LOG.infof("Database reachable (probe attempt %d); migrating", attempt);
                migrate();
            }
        } catch (SQLException | RuntimeException failure) {
            retryLater(attempt, failure);
            return;
        }
        synchronized (this) {
            probing = false;
            gate.open();
        }
        LOG.infof("Data layer ready (probe attempt %d)", attempt);
    }

    private void migrate() {
        var result = flyway.migrate();
        migrated = true;
        LOG.infof("Database schema at version %s (%d migration(s) applied)", result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    private void retryLater(int attempt, Throwable failure) {
        dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        Duration delay = backoff.backoff(attempt, ThreadLocalRandom.current()::nextDouble);
        if (attempt == 1 || attempt % WARN_EVERY == 0) {
            LOG.warnf("Database not usable yet (attempt %d: %s); retrying", attempt, describe(failure));
        } else {
            LOG.debugf("Database not usable yet (attempt %d: %s)", attempt, describe(failure));
        }
        schedule(attempt + 1, delay);
    }

    private void schedule(int attempt, Duration delay) {
        try {
            prober.schedule(() -> probe(attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debug("Not probing the database: shutting down");
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String state = root instanceof SQLException sql ? " SQLState " + sql.getSQLState() : "";
        return root.getClass().getSimpleName() + state + ": " + root.getMessage();
    }
}
