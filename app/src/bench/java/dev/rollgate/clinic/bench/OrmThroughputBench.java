package dev.rollgate.clinic.bench;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.data.SqlWork;
import dev.rollgate.clinic.patients.NewPatient;
import dev.rollgate.clinic.patients.PatientRepository;
import dev.rollgate.clinic.testing.DatabaseUp;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * Throughput of a create+read mix of ORM work (one {@code persist} of a patient, one {@code find} of it, each
 * in its own transaction) through {@link AwaitReadyDatabase#inTransaction} against the very same calls
 * without it ({@link QuarkusTransaction} on the same shared {@link Session}, flushed the same way), in one
 * run against one PostgreSQL. The paths take turns pair by pair, so drift on a busy machine falls on both. Target: with ≥ 0.97 × without. Prints its figures; asserts nothing (a figure, not a timed test).
 *
 * <p>Run by {@code ./mvnw -B -pl app -Pbench verify} (a Quarkus test: it needs the application's CDI
 * container and Hibernate ORM as the app runs them).
 */
@QuarkusTest
@TestProfile(DatabaseUp.class)
class OrmThroughputBench {

    private static final int WARMUP_ROUNDS = 4;
    private static final int ROUNDS = 10;
    private static final int PAIRS_PER_ROUND = 300;

    @Inject
    AwaitReadyDatabase database;

    @Inject
    Session session;

    @Inject
    PatientRepository patients;

    /** Keeps e-mails unique across runs against a reused database. */
    private static final long RUN = System.currentTimeMillis();

    private final AtomicLong serial = new AtomicLong();

    interface Path {
        <T> T run(SqlWork<T> work);
    }

    @Test
    void createReadMixWithAndWithoutTheAwaitReadyLayer() {
        Path layered = database::inTransaction;
        Path bare = new Path() {
            @Override
            public <T> T run(SqlWork<T> work) {
                return QuarkusTransaction.requiringNew().call(() -> {
                    T result = work.run(session);
                    session.flush();
                    return result;
                });
            }
        };
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            round(layered, bare);
        }
        long layeredNanos = 0;
        long bareNanos = 0;
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long[] nanos = round(layered, bare);
            layeredNanos += nanos[0];
            bareNanos += nanos[1];
            ratios.add((double) nanos[1] / nanos[0]);
        }
        long calls = 2L * PAIRS_PER_ROUND * ROUNDS;
        double layeredPerSecond = calls / (layeredNanos / 1e9);
        double barePerSecond = calls / (bareNanos / 1e9);
        ratios.sort(Double::compare);
        System.out.printf(
                "ORM create+read mix, %d calls per path over %d rounds, paths taking turns:%n", calls, ROUNDS);
        System.out.printf("  through the await-ready layer: %8.0f calls/s%n", layeredPerSecond);
        System.out.printf("  same ORM calls without it:     %8.0f calls/s%n", barePerSecond);
        System.out.printf(
                "  ratio with/without: %.3f (median of rounds %.3f, min %.3f, max %.3f)%n",
                layeredPerSecond / barePerSecond,
                ratios.get(ratios.size() / 2),
                ratios.get(0),
                ratios.get(ratios.size() - 1));
        System.out.printf(
                "  layer cost per call, from the difference: %.1f µs%n", (layeredNanos - bareNanos) / 1e3 / calls);
    }

    /**
     * One round: {@link #PAIRS_PER_ROUND} times a create and a read through each path, the two paths taking
     * turns pair by pair (so a burst of load elsewhere on the machine falls on both). Returns the nanoseconds
     * spent in each: {layered, bare}.
     */
    private long[] round(Path layered, Path bare) {
        long[] nanos = new long[2];
        for (int i = 0; i < PAIRS_PER_ROUND; i++) {
            if (i % 2 == 0) {
                nanos[0] += pair(layered);
                nanos[1] += pair(bare);
            } else {
                nanos[1] += pair(bare);
                nanos[0] += pair(layered);
            }
        }
        return nanos;
    }

    /** Creates a patient and reads it back, each in its own transaction. Returns the nanoseconds. */
    private long pair(Path path) {
        long n = serial.incrementAndGet();
        NewPatient patient =
                new NewPatient("Bench " + n, "bench-" + n + "-" + RUN + "@example.com", LocalDate.of(1980, 1, 1));
        long started = System.nanoTime();
        long id = path.run(session -> patients.insert(session, patient)).id();
        path.run(session -> patients.find(session, id));
        return System.nanoTime() - started;
    }
}
