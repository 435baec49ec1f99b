package dev.rollgate.clinic.data;

import dev.rollgate.clinic.config.ClinicConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.hibernate.Session;

/**
 * The only way clinic talks to its database: Hibernate ORM work ({@link SqlWork}, on the shared
 * {@link Session}), each unit
 * <ol>
 * <li>waits until the data layer is ready — bounded by {@code clinic.db.await-timeout}; once ready this
 * costs two volatile reads (the {@link ReadinessGate} and {@link OrmSessions});</li>
 * <li>runs in its own transaction ({@link QuarkusTransaction}, new each attempt), flushed before the commit so
 * that constraint violations surface inside the work;</li>
 * <li>is retried when the failure is of a retryable {@link SqlErrorClass}, with jittered exponential
 * backoff, until the same deadline.</li>
 * </ol>
 * Past the deadline the caller gets {@link DatabaseNotReadyException}; a non-retryable failure becomes a
 * {@link DataAccessException} at once. Exceptions of the application's own (a 404, a reused idempotency key)
 * roll the transaction back and pass through unchanged. A retry may repeat work whose commit did succeed but
 * was never acknowledged, so writes must be idempotent ({@link IdempotentCreates}).
 */
@Singleton
public class AwaitReadyDatabase {

    private final AgroalDataSource dataSource;
    private final ReadinessGate gate;
    private final OrmSessions sessions;
    private final DataLayerInitializer initializer;
    private final DatabaseReachability reachability;
    private final SqlErrorClassifier classifier;
    private final RetryPolicy retryPolicy;
    private final long awaitTimeoutNanos;
    private final LongAdder attempts = new LongAdder();

    @Inject
    public AwaitReadyDatabase(
            AgroalDataSource dataSource,
            ReadinessGate gate,
            OrmSessions sessions,
            DataLayerInitializer initializer,
            DatabaseReachability reachability,
            SqlErrorClassifier classifier,
            ClinicConfig config) {
        this(
                dataSource,
                gate,
                sessions,
                initializer,
                reachability,
                classifier,
                new RetryPolicy(
                        config.db().retry().initial(), config.db().retry().max()),
                config.db().awaitTimeout());
    }

    /** For use without CDI, e.g. by the benchmark. */
    public AwaitReadyDatabase(
            AgroalDataSource dataSource,
            ReadinessGate gate,
            OrmSessions sessions,
            DataLayerInitializer initializer,
            DatabaseReachability reachability,
            SqlErrorClassifier classifier,
            RetryPolicy retryPolicy,
            Duration awaitTimeout) {
        this.dataSource = dataSource;
        this.gate = gate;
        this.sessions = sessions;
        this.initializer = initializer;
        this.reachability = reachability;
        this.classifier = classifier;
        this.retryPolicy = retryPolicy;
        this.awaitTimeoutNanos = awaitTimeout.toNanos();
    }

    /** Runs {@code work} in a transaction once the data layer is ready; see the class comment. */
    public <T> T inTransaction(SqlWork<T> work) {
        long deadline = System.nanoTime() + awaitTimeoutNanos;
        Throwable lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            Session session = awaitReady(deadline, lastFailure);
            try {
                T result = runOnce(session, work);
                reachability.confirmed();
                return result;
            } catch (RuntimeException failure) {
                if (!classifier.concernsTheDatabase(failure)) {
                    throw failure;
                }
                SqlErrorClass errorClass = classifier.classify(failure);
                if (!errorClass.retryable()) {
                    throw new DataAccessException(errorClass, failure);
                }
                if (errorClass == SqlErrorClass.CONNECTION) {
                    initializer.connectionLost(failure);
                }
                lastFailure = failure;
                pauseBeforeRetry(attempt, deadline, failure);
            }
        }
    }

    /**
     * Waits for readiness with the default bound, without running anything. The cost of this call once
     * ready is what the benchmark measures as the await-ready overhead.
     */
    public Session awaitReady() {
        return awaitReady(System.nanoTime() + awaitTimeoutNanos, null);
    }

    /** Attempts started so far, retries included: lets tests prove a failure was not retried. */
    public long attemptCount() {
        return attempts.sum();
    }

    private Session awaitReady(long deadline, Throwable lastFailure) {
        if (!gate.isOpen()) {
            try {
                if (!gate.awaitOpen(deadline)) {
                    throw notReady(lastFailure);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw notReady(lastFailure);
            }
        }
        // The gate opens only after the ORM proved usable, so this is one volatile read; it is here so that
        // no code path can reach a session the ORM has not finished initialising.
        return sessions.await(deadline);
    }

    private <T> T runOnce(Session session, SqlWork<T> work) {
        attempts.increment();
        return QuarkusTransaction.requiringNew().call(() -> {
            // Taking the transaction's connection first keeps "the pool is busy" apart from SQL failures: Hibernate
            // would report Agroal's state-less acquisition timeout as a generic JDBC error. Agroal hands
            // Hibernate this same enlisted connection.
            try (Connection enlisted = acquire()) {
                T result = work.run(session);
                session.flush();
                return result;
            }
        });
    }

    private Connection acquire() throws SQLException {
        try {
            return dataSource.getConnection();
        } catch (SQLException failure) {
            // Agroal's acquisition timeout carries no SQLState; failing to *get* a connection is never a bug
            // in our SQL, so whatever the classifier cannot place is a pool that is busy for now.
            if (classifier.classify(failure) == SqlErrorClass.PERMANENT) {
                throw new PoolExhaustedException(failure);
            }
            throw failure;
        }
    }

    private void pauseBeforeRetry(int failedAttempts, long deadline, Throwable failure) {
        Duration backoff = retryPolicy.backoff(failedAttempts, ThreadLocalRandom.current()::nextDouble);
        if (System.nanoTime() + backoff.toNanos() - deadline >= 0) {
            throw notReady(failure);
        }
        try {
            // A deliberate backoff between attempts, not a poll: readiness itself is awaited on the gate.
            TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notReady(failure);
        }
    }

    private DatabaseNotReadyException notReady(Throwable lastFailure) {
        String state = initializer.isInitialised() ? "unavailable" : "still initialising";
        return new DatabaseNotReadyException("The database is " + state + "; try again shortly", lastFailure);
    }
}
