package dev.rollgate.clinic.bench;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.data.OrmSessions;
import dev.rollgate.clinic.data.ReadinessGate;
import dev.rollgate.clinic.data.RetryPolicy;
import dev.rollgate.clinic.data.SqlErrorClassifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What waiting for readiness costs every unit of ORM work once the data layer is ready: the whole
 * {@link AwaitReadyDatabase#awaitReady()} (deadline computation, the gate's volatile read, the hand-out of the
 * shared Hibernate session), and the gate alone. Target: well under 1 µs per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class AwaitReadyBenchmark {

    private ReadinessGate gate;
    private AwaitReadyDatabase database;

    @Setup
    public void openTheGate() {
        gate = new ReadinessGate();
        gate.open();
        // The ORM path: the shared session is handed out through OrmSessions once it proved usable (here a
        // stand-in session and a no-op proof: only the hand-out is measured, not Hibernate).
        Session session = (Session) Proxy.newProxyInstance(
                Session.class.getClassLoader(), new Class<?>[] {Session.class}, (proxy, method, args) -> null);
        OrmSessions sessions = new OrmSessions(() -> session, proved -> {});
        sessions.initialise();
        // Only the await path is exercised: no data source, initialiser or reachability is touched.
        database = new AwaitReadyDatabase(
                null,
                gate,
                sessions,
                null,
                null,
                new SqlErrorClassifier(),
                new RetryPolicy(Duration.ofMillis(50), Duration.ofSeconds(1)),
                Duration.ofSeconds(30));
    }

    /** The gate, then the ORM's shared session: what every unit of ORM work pays before it runs. */
    @Benchmark
    public Session awaitReady() {
        return database.awaitReady();
    }

    @Benchmark
    public boolean gateAwaitOpen() throws InterruptedException {
        return gate.awaitOpen(Long.MAX_VALUE);
    }
}
