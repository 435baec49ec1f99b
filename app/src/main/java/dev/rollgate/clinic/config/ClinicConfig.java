package dev.rollgate.clinic.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * Everything clinic reads from its environment. Each property maps to an environment variable by the
 * usual rule ({@code clinic.db.await-timeout} ← {@code CLINIC_DB_AWAIT_TIMEOUT}); docs/clinic.md lists them.
 */
@ConfigMapping(prefix = "clinic")
public interface ClinicConfig {

    /** {@code api} or {@code worker}. */
    @WithDefault("api")
    Role role();

    /** Reported by {@code GET /api/info}; the build's version unless the deployment says otherwise. */
    String version();

    Db db();

    Worker worker();

    Flyway flyway();

    interface Db {
        /**
         * The longest any one read or write may wait for the data layer, retries included. Past it the
         * caller gets 503 DATABASE_NOT_READY: a bounded answer instead of a hung request.
         */
        @WithDefault("30s")
        Duration awaitTimeout();

        /** How long a successful reachability check (or statement) vouches for the database. */
        @WithDefault("1s")
        Duration reachabilityCheckInterval();

        /** Timeout of one {@link java.sql.Connection#isValid(int)} check, in whole seconds. */
        @WithDefault("1")
        int validationTimeoutSeconds();

        /**
         * Backoff of the initialiser while the database is unreachable: 50 ms doubling to 250 ms, so a
         * database that comes up is noticed within a quarter second, at the price of four refused TCP
         * connects per second while it is down.
         */
        Backoff connect();

        /** Backoff between retries of a statement that failed transiently. */
        Backoff retry();
    }

    interface Backoff {
        @WithDefault("50ms")
        Duration initial();

        @WithDefault("500ms")
        Duration max();
    }

    interface Flyway {
        /**
         * Where the migrations come from, read at run time ({@code quarkus.flyway.locations} is fixed at
         * build time). {@code classpath:} locations must be among the build-time ones (their files are
         * indexed by the build); {@code filesystem:} directories are read when Flyway is created, so a
         * release can carry migrations outside the jar (a missing directory holds none).
         */
        @WithDefault("classpath:db/migration")
        List<String> locations();

        /**
         * Whether the api and worker roles apply pending migrations themselves once the database
         * answers (the default), or leave them to the migrate role (Rollgate's migration gate) and only
         * check: with {@code false} the data layer stays not ready while a migration of this image is
         * pending, and says so, instead of racing its sibling replicas to migrate.
         */
        @WithDefault("true")
        boolean migrateAtStart();

        /**
         * Where the migrate role writes why it failed, for Kubernetes to show as the container's
         * termination message (absent or unwritable: the log only).
         */
        @WithDefault("/dev/termination-log")
        String terminationLog();
    }

    interface Worker {
        /** Idle wait between polls of the outbox when it was empty. */
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("10")
        int batchSize();

        /** A job that failed this many times is parked instead of retried. */
        @WithDefault("5")
        int maxAttempts();

        /** Wait before a failed job is tried again. */
        @WithDefault("30s")
        Duration retryDelay();

        /** A reminder is due this long before the appointment starts. */
        @WithDefault("24h")
        Duration reminderLeadTime();

        /** Idempotency records older than this are purged by the worker. */
        @WithDefault("24h")
        Duration idempotencyRetention();
    }
}
