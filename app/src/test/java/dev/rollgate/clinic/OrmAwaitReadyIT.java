package dev.rollgate.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.data.DatabaseNotReadyException;
import dev.rollgate.clinic.data.IdempotentCreates;
import dev.rollgate.clinic.data.OrmSessions;
import dev.rollgate.clinic.data.StoredResponse;
import dev.rollgate.clinic.patients.NewPatient;
import dev.rollgate.clinic.patients.PatientPage;
import dev.rollgate.clinic.patients.PatientRepository;
import dev.rollgate.clinic.testing.InjectPostgres;
import dev.rollgate.clinic.testing.OrmDownAtBoot;
import dev.rollgate.clinic.testing.PostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hibernate ORM started offline, from the inside: the process boots with PostgreSQL down and its session
 * factory built; ORM reads and writes issued before the data layer is ready wait (the seed's third bug: its
 * executeRead/executeWrite ran at once), then run once it is — and the shared session was never handed out
 * before the migrations and the ORM's own first query succeeded.
 */
@QuarkusTest
@TestProfile(OrmDownAtBoot.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrmAwaitReadyIT {

    @Inject
    AwaitReadyDatabase database;

    @Inject
    IdempotentCreates creates;

    @Inject
    PatientRepository patients;

    @Inject
    OrmSessions sessions;

    @Inject
    SessionFactory sessionFactory;

    @InjectPostgres
    PostgresServer postgres;

    @Test
    @Order(1)
    void ormReadsAndWritesIssuedBeforeReadinessWaitThenRunOnce() throws Exception {
        assertFalse(postgres.isRunning());
        assertTrue(sessionFactory.isOpen(), "the session factory was built at boot without a database (start-offline)");
        assertFalse(sessions.isUsable(), "but it is not handed out: nothing proved it against the schema yet");

        NewPatient patient =
                new NewPatient("Early Bird", "early-" + UUID.randomUUID() + "@example.com", LocalDate.of(1990, 1, 2));
        String key = "early-" + UUID.randomUUID();
        CompletableFuture<StoredResponse> write = CompletableFuture.supplyAsync(
                () -> creates.create("patients", key, patient, session -> patients.insert(session, patient)));
        CompletableFuture<PatientPage> read =
                CompletableFuture.supplyAsync(() -> database.inTransaction(session -> patients.page(session, 0, 100)));
        TimeUnit.MILLISECONDS.sleep(1000);
        assertFalse(write.isDone() || read.isDone(), "ORM work waits while the data layer initialises");

        postgres.start();
        StoredResponse created = write.get(OrmDownAtBoot.AWAIT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        PatientPage page = read.get(OrmDownAtBoot.AWAIT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);

        assertEquals(201, created.status());
        assertFalse(created.replayed());
        assertNotNull(page);
        assertTrue(sessions.isUsable());
        assertEquals(2, appliedMigrations(), "the session was handed out after the migrations ran");
        assertEquals(1, rowsWithEmail(patient.email()), "the waiting write ran exactly once");
    }

    @Test
    @Order(2)
    void whenTheDatabaseGoesAwayOrmWorkWaitsBoundedAndGetsDatabaseNotReadyNeverAHang() throws Exception {
        postgres.stop();
        try {
            long started = System.nanoTime();
            CompletableFuture<PatientPage> read = CompletableFuture.supplyAsync(
                    () -> database.inTransaction(session -> patients.page(session, 0, 1)));
            Throwable failure = read.handle((ok, error) -> error)
                    .get(OrmDownAtBoot.AWAIT_TIMEOUT_MILLIS + 5000, TimeUnit.MILLISECONDS);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(
                    failure != null && failure.getCause() instanceof DatabaseNotReadyException,
                    String.valueOf(failure));
            assertTrue(waited < OrmDownAtBoot.AWAIT_TIMEOUT_MILLIS + 3000, "answered after " + waited + " ms");
        } finally {
            postgres.start();
        }
    }

    private int appliedMigrations() throws Exception {
        try (Connection connection = postgres.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            row.next();
            return row.getInt(1);
        }
    }

    private int rowsWithEmail(String email) throws Exception {
        try (Connection connection = postgres.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM patients WHERE email = '" + email + "'")) {
            row.next();
            return row.getInt(1);
        }
    }
}
