package dev.rollgate.clinic.reminders;

import static dev.rollgate.clinic.testing.Http.createPatient;
import static dev.rollgate.clinic.testing.Http.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.testing.DatabaseUp;
import dev.rollgate.clinic.testing.Http;
import dev.rollgate.clinic.testing.InjectPostgres;
import dev.rollgate.clinic.testing.PostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three workers drain one outbox at the same time, each on its own thread and connection, as three
 * worker pods would: every job is delivered exactly once, and a job that always fails is parked.
 */
@QuarkusTest
@TestProfile(DatabaseUp.class)
class ReminderWorkerIT {

    private static final int JOBS = 30;
    private static final int WORKERS = 3;
    private static final int MAX_ATTEMPTS = 3;

    @Inject
    AwaitReadyDatabase database;

    @InjectPostgres
    PostgresServer postgres;

    @BeforeAll
    static void clientTimeouts() {
        Http.withClientTimeouts();
    }

    @Test
    void threeWorkersDeliverEveryJobOnceAndParkThePoisonJob() throws Exception {
        List<Long> appointments = bookAppointments(JOBS + 1);
        long poison = appointments.get(JOBS);

        Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Map<Long, String> deliveredBy = new ConcurrentHashMap<>();
        CountDownLatch allStarted = new CountDownLatch(WORKERS);
        ExecutorService pods = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                String name = "worker-" + w;
                ReminderSender sender = reminder -> {
                    deliveries
                            .computeIfAbsent(reminder.appointmentId(), id -> new AtomicInteger())
                            .incrementAndGet();
                    if (reminder.appointmentId() == poison) {
                        throw new IllegalStateException("gateway rejects this reminder");
                    }
                    deliveredBy.put(reminder.appointmentId(), name);
                    pause(3); // a real send takes time: keeps the three workers overlapping
                };
                ReminderWorker worker =
                        new ReminderWorker(database, sender, new ReminderWorker.Policy(2, MAX_ATTEMPTS, Duration.ZERO));
                running.add(pods.submit(() -> {
                    allStarted.countDown();
                    allStarted.await();
                    while (worker.processBatch() > 0) {
                        // drain until nothing is claimable
                    }
                    return null;
                }));
            }
            for (Future<?> pod : running) {
                pod.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pods.shutdownNow();
        }

        for (long appointment : appointments.subList(0, JOBS)) {
            assertEquals(1, deliveries.get(appointment).get(), "appointment " + appointment + " delivered once");
        }
        assertEquals(MAX_ATTEMPTS, deliveries.get(poison).get(), "poison job tried exactly max-attempts times");
        assertTrue(new HashSet<>(deliveredBy.values()).size() > 1, "work was shared: " + deliveredBy.values());

        Map<Long, String[]> jobs = jobStates(appointments);
        for (long appointment : appointments.subList(0, JOBS)) {
            assertEquals("DONE", jobs.get(appointment)[0]);
            assertEquals("1", jobs.get(appointment)[1]);
        }
        assertEquals("PARKED", jobs.get(poison)[0]);
        assertEquals(String.valueOf(MAX_ATTEMPTS), jobs.get(poison)[1]);
    }

    /** One patient, n back-to-back appointments tomorrow: each enqueues one reminder, due now. */
    private static List<Long> bookAppointments(int n) {
        long patient = createPatient(null, uniqueEmail("reminded"))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        String practitioner = "Dr Worker " + System.nanoTime();
        Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant from = start.plus(15L * i, ChronoUnit.MINUTES);
            ids.add(given().contentType(ContentType.JSON)
                    .body("{\"practitioner\":\"" + practitioner + "\",\"startsAt\":\"" + from + "\",\"endsAt\":\""
                            + from.plus(15, ChronoUnit.MINUTES) + "\"}")
                    .post("/api/patients/" + patient + "/appointments")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getLong("id"));
        }
        return ids;
    }

    private Map<Long, String[]> jobStates(List<Long> appointments) throws Exception {
        Map<Long, String[]> states = new HashMap<>();
        try (Connection connection = postgres.connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT appointment_id, status, attempts FROM reminder_jobs WHERE appointment_id = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("bigint", appointments.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String[] previous =
                            states.put(rows.getLong(1), new String[] {rows.getString(2), rows.getString(3)});
                    assertEquals(null, previous, "one job per appointment");
                }
            }
        }
        assertEquals(Set.copyOf(appointments), states.keySet());
        return states;
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
