package dev.rollgate.clinic.data;

import dev.rollgate.clinic.config.ClinicConfig;
import dev.rollgate.clinic.config.Role;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.jboss.logging.Logger;

/**
 * Brings the data layer to ready in the background, and back to ready after the database was lost.
 *
 * <p>Boot never waits for PostgreSQL: the application starts, this class probes the database
 * ({@link DatabaseProbe}, a direct driver connection) with
 * {@link RetryPolicy backoff} (50 ms doubling to 250 ms by default, so a database that becomes reachable
 * is noticed within a quarter second), runs the Flyway migrations once, proves Hibernate ORM usable against
 * the migrated schema ({@link OrmSessions#initialise()}; a failure there is retried like an unreachable
 * database), then opens the {@link ReadinessGate}.
 * When a statement or the readiness check loses the database, {@link #connectionLost} closes the gate and
 * the same probe loop runs again — without the migrations, which are done.
 *
 * <p>With {@code clinic.flyway.migrate-at-start=false} the api and worker only check that no migration of
 * this image is pending (someone else, Rollgate's migration Job, applies them) and stay not ready until
 * none is. The {@link Role#MIGRATE migrate} role applies them and exits: 0 when done, 1 when a migration
 * failed for a reason retrying cannot fix (by SQLState class, not message text); a database that is not
 * reachable yet is waited for, as in every role.
 */
@Singleton
public class DataLayerInitializer {

    private static final Logger LOG = Logger.getLogger(DataLayerInitializer.class);
    /** Log every n-th failed probe at WARN; the others go to DEBUG so an outage does not flood the log. */
    private static final int WARN_EVERY = 20;

    private final AgroalDataSource dataSource;
    private final DatabaseProbe probe;
    private final Flyway flyway;
    private final OrmSessions sessions;
    private final ReadinessGate gate;
    private final RetryPolicy backoff;
    private final Role role;
    private final boolean migrateAtStart;
    private final String terminationLog;
    private final SqlErrorClassifier classifier = new SqlErrorClassifier();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "clinic-data-layer-prober");
        thread.setDaemon(true);
        return thread;
    });

    /** Guarded by {@code this}: at most one probe loop runs. */
    private boolean probing;

    private volatile boolean migrated;

    @Inject
    public DataLayerInitializer(
            AgroalDataSource dataSource,
            DatabaseProbe probe,
            Flyway flyway,
            OrmSessions sessions,
            ReadinessGate gate,
            ClinicConfig config) {
        this.dataSource = dataSource;
        this.probe = probe;
        this.flyway = flyway;
        this.sessions = sessions;
        this.gate = gate;
        this.backoff = new RetryPolicy(
                config.db().connect().initial(), config.db().connect().max());
        this.role = config.role();
        this.migrateAtStart = config.flyway().migrateAtStart();
        this.terminationLog = config.flyway().terminationLog();
    }

    void onStart(@Observes StartupEvent event) {
        LOG.info("Data layer initialising in the background; requests wait until it is ready");
        if (role != Role.MIGRATE) {
            // First on the prober's thread: while the database is not there yet this costs nothing, and it
            // takes the ORM's cold start off the time from "database reachable" to "ready".
            prober.execute(() -> {
                long started = System.nanoTime();
                boolean warm = sessions.warmUp();
                LOG.debugf("ORM warm-up %s in %.1f ms", warm ? "done" : "skipped", millis(System.nanoTime() - started));
            });
        }
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
        long started = System.nanoTime();
        long reachable;
        long schemaReady;
        try {
            probe.connect();
            reachable = System.nanoTime();
            if (role == Role.MIGRATE) {
                LOG.infof("Database reachable (probe attempt %d); migrating, then exiting", attempt);
                migrateAndExit();
                return;
            }
            if (!migrated && migrateAtStart) {
                LOG.infof("Database reachable (probe attempt %d); migrating", attempt);
                migrate();
            } else if (!migrated) {
                requireCurrentSchema();
            }
            schemaReady = System.nanoTime();
            sessions.initialise();
        } catch (SQLException | RuntimeException failure) {
            retryLater(attempt, failure);
            return;
        }
        long ormReady = System.nanoTime();
        synchronized (this) {
            probing = false;
            gate.open();
        }
        // Where the time from "reachable" to "ready" goes; the benchmark reads this line.
        LOG.infof(
                "Data layer ready (probe attempt %d): probe %.1f ms, schema (Flyway) %.1f ms, ORM %.1f ms",
                attempt, millis(reachable - started), millis(schemaReady - reachable), millis(ormReady - schemaReady));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private void migrate() {
        var result = flyway.migrate();
        migrated = true;
        LOG.infof(
                "Database schema at version %s (%d migration(s) applied)",
                result.targetSchemaVersion, result.migrationsExecuted);
    }

    /** The migrate role: apply, then end the process; only a database not reachable yet is retried. */
    private void migrateAndExit() {
        try {
            migrate();
        } catch (RuntimeException failure) {
            if (classifier.classify(failure) == SqlErrorClass.CONNECTION) {
                throw failure;
            }
            String why = "Migration failed: " + describe(failure);
            LOG.error(why);
            writeTerminationMessage(why);
            Quarkus.asyncExit(1);
            return;
        }
        Quarkus.asyncExit(0);
    }

    /** migrate-at-start false: ready only once the migrations this image carries have been applied. */
    private void requireCurrentSchema() {
        MigrationInfoService info = flyway.info();
        MigrationInfo[] pending = info.pending();
        if (pending.length > 0) {
            MigrationInfo current = info.current();
            throw new IllegalStateException("schema at version " + (current == null ? "none" : current.getVersion())
                    + ", this image needs " + pending[pending.length - 1].getVersion() + " (" + pending.length
                    + " pending migration(s)); clinic.flyway.migrate-at-start is false, so the migrate role "
                    + "(ROLLGATE_ROLE=migrate, Rollgate's spec.migration) must apply them");
        }
        migrated = true;
        LOG.info("Database schema is current (migrations are applied by the migrate role)");
    }

    private void writeTerminationMessage(String message) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(terminationLog), message);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debugf("No termination message written to %s: %s", terminationLog, e.getMessage());
        }
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
