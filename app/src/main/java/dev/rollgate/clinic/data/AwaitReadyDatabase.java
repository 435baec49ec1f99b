package dev.rollgate.clinic.data;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.rollgate.clinic.config.ClinicConfig;
import io.agroal.api.AgroalDataSource;

/**
 * The only way clinic talks to its database. Every unit of work
 * <ol>
 * <li>waits until the data layer is ready — bounded by {@code clinic.db.await-timeout}; once ready this
 * costs one volatile read;</li>
 * <li>runs in its own transaction;</li>
 * <li>is retried when the failure is of a retryable {@link SqlErrorClass}, with jittered exponential
 * backoff, until the same deadline.</li>
 * </ol>
 * Past the deadline the caller gets {@link DatabaseNotReadyException}; a non-retryable failure becomes a
 * {@link DataAccessException} at once. A retry may repeat work whose commit did succeed but was never
 * acknowledged, so writes must be idempotent ({@link IdempotentCreates}).
 */
@Singleton
public class AwaitReadyDatabase {

    private final AgroalDataSource dataSource;
    private final ReadinessGate gate;
    private final DataLayerInitializer initializer;
    private final DatabaseReachability reachability;
    private final SqlErrorClassifier classifier;
    private final RetryPolicy retryPolicy;
    private final long awaitTimeoutNanos;
    private final LongAdder attempts = new LongAdder();

    @Inject
    public AwaitReadyDatabase(AgroalDataSource dataSource, ReadinessGate gate, DataLayerInitializer initializer,
            DatabaseReachability reachability, SqlErrorClassifier classifier, ClinicConfig config) {
        this(dataSource, gate, initializer, reachability, classifier,
                new RetryPolicy(config.db().retry().initial(), config.db().retry().max()), config.db().awaitTimeout());
    }

    /** For use without CDI, e.g. by the benchmark. */
    public AwaitReadyDatabase(AgroalDataSource dataSource, ReadinessGate gate, DataLayerInitializer initializer,
            DatabaseReachability reachability, SqlErrorClassifier classifier, RetryPolicy retryPolicy,
            Duration awaitTimeout) {
        this.dataSource = dataSource;
        this.gate = gate;
        this.initializer = initializer;
        this.reachability = reachability;
        this.classifier = classifier;
        this.retryPolicy = retryPolicy;
        this.awaitTimeoutNanos = awaitTimeout.toNanos();
    }

    /** Runs {@code work} in a transaction once the data layer is ready; see the class comment. */
    public <T> T inTransaction(SqlWork<T> work) {
        long deadline = System.nanoTime() + awaitTimeoutNanos;
        SQLException lastFailure = null;
        for (int attempt = 1;; attempt++) {
            awaitReady(deadline, lastFailure);
            try {
                T result = runOnce(work);
                reachability.confirmed();
                return result;
            } catch (SQLException failure) {
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
    public void awaitReady() {
        awaitReady(System.nanoTime() + awaitTimeoutNanos, null);
    }

    /** Attempts started so far, retries included: lets tests prove a failure was not retried. */
    public long attemptCount() {
        return attempts.sum();
    }

    private void awaitReady(long deadline, SQLException lastFailure) {
        if (gate.isOpen()) {
            return;
        }
        try {
            if (gate.awaitOpen(deadline)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw notReady(lastFailure);
    }

    private <T> T runOnce(SqlWork<T> work) throws SQLException {
        attempts.increment();
        Connection connection = acquire();
        try (connection) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException failure) {
                rollbackQuietly(connection, failure);
                throw failure;
            }
        }
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

    private void pauseBeforeRetry(int failedAttempts, long deadline, SQLException failure) {
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

    private DatabaseNotReadyException notReady(SQLException lastFailure) {
        String state = initializer.isInitialised() ? "unavailable" : "still initialising";
        return new DatabaseNotReadyException("The database is " + state + "; try again shortly", lastFailure);
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
