package dev.rollgate.clinic.bench;

import dev.rollgate.clinic.testing.PostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures how long the packaged clinic takes from "PostgreSQL accepts connections" to "/q/health/ready is
 * 200". Target: under 1 s.
 *
 * <p>Round 1 is a first deployment: the app boots with the database down, waits 2 s, the database starts,
 * and the time includes the Flyway migrations of an empty database. Rounds 2.. are outages: the database stops, readiness goes 503, the
 * database starts again. "Reachable" is the first moment this program's own JDBC connection succeeds,
 * polled every 2 ms while the server starts.
 *
 * <p>Usage: {@code ReachableToReadyBenchmark <path to quarkus-run.jar> [rounds]}. Starts and stops its own
 * PostgreSQL and app process, by PID, whatever happens.
 */
public final class ReachableToReadyBenchmark {

    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final Path APP_LOG = Paths.get("target", "bench-app.log").toAbsolutePath();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI ready;
    private final URI live;

    private ReachableToReadyBenchmark(int httpPort) {
        this.ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        this.live = URI.create("http://127.0.0.1:" + httpPort + "/q/health/live");
    }

    public static void main(String[] args) throws Exception {
        Path jar = Paths.get(args.length > 0 ? args[0] : "target/quarkus-app/quarkus-run.jar")
                .toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: package the app first (mvn -pl app package)");
        }
        int httpPort = freePort();
        PostgresServer postgres = PostgresServer.create("bench");
        Process app = startApp(jar, postgres, httpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(app::destroyForcibly));
        try {
            new ReachableToReadyBenchmark(httpPort).run(postgres, rounds);
        } finally {
            app.destroy(); // SIGTERM to the app's own PID: graceful Quarkus shutdown
            if (!app.waitFor(10, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
            postgres.close();
        }
    }

    private void run(PostgresServer postgres, int rounds) throws Exception {
        await(live, 200, "app live");
        // As in a real deployment, the app has been up (and probing) for a while when the database appears;
        // without this pause round 1 would also measure the JVM's start-up JIT burst.
        TimeUnit.SECONDS.sleep(2);
        List<Long> reconnects = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            if (round > 1) {
                postgres.stop();
                await(ready, 503, "readiness to notice the outage");
            }
            long micros = startAndMeasure(postgres);
            if (round == 1) {
                System.out.printf("reachable -> ready, first start incl. migrations: %6.1f ms%n", micros / 1000.0);
                System.out.println("  where it went (the app's own log): " + lastReadyLine());
            } else {
                reconnects.add(micros);
                System.out.printf(
                        "reachable -> ready, after an outage (round %d):    %6.1f ms%n", round, micros / 1000.0);
            }
        }
        if (!reconnects.isEmpty()) {
            Collections.sort(reconnects);
            System.out.printf(
                    "reachable -> ready after an outage: median %.1f ms, max %.1f ms over %d rounds%n",
                    reconnects.get(reconnects.size() / 2) / 1000.0,
                    reconnects.get(reconnects.size() - 1) / 1000.0,
                    reconnects.size());
        }
    }

    /** Starts PostgreSQL in the background, notes when it first accepts a connection, then when ready is 200. */
    private long startAndMeasure(PostgresServer postgres) throws Exception {
        Thread starter = new Thread(postgres::start, "postgres-start");
        starter.start();
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        long reachable;
        while (true) {
            try (Connection ignored =
                    DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD)) {
                reachable = System.nanoTime();
                break;
            } catch (SQLException notYet) {
                check(deadline, "PostgreSQL to accept connections");
                TimeUnit.MILLISECONDS.sleep(2);
            }
        }
        // 10 ms: finer polling would mostly measure the poller competing with the app for the CPU.
        while (status(ready) != 200) {
            check(deadline, "readiness");
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - reachable);
        starter.join();
        return micros;
    }

    /**
     * The data layer's "Data layer ready (probe attempt n): probe …, schema (Flyway) …, ORM …" line: the
     * time between the prober's attempt and the open gate, split by step. What lies before the attempt is the
     * prober's backoff (at most 250 ms).
     */
    private static String lastReadyLine() throws IOException {
        String found = "(no 'Data layer ready' line in " + APP_LOG + ")";
        for (String line : Files.readAllLines(APP_LOG)) {
            int at = line.indexOf("Data layer ready");
            if (at >= 0) {
                found = line.substring(at);
            }
        }
        return found;
    }

    private void await(URI uri, int expected, String what) throws Exception {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (status(uri) != expected) {
            check(deadline, what);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private int status(URI uri) throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException notUp) {
            return -1;
        }
    }

    private static void check(long deadlineNanos, String what) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException("gave up waiting for " + what);
        }
    }

    private static Process startApp(Path jar, PostgresServer postgres, int httpPort) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(APP_LOG.toFile());
        builder.environment().put("CLINIC_DB_URL", postgres.jdbcUrl());
        builder.environment().put("CLINIC_DB_USER", PostgresServer.USER);
        builder.environment().put("CLINIC_DB_PASSWORD", PostgresServer.PASSWORD);
        builder.environment().put("CLINIC_HTTP_PORT", String.valueOf(httpPort));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        System.out.println("app log: " + APP_LOG);
        return builder.start();
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
