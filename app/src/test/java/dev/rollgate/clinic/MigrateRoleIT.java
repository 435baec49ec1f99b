package dev.rollgate.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.clinic.testing.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrate role and {@code clinic.flyway.migrate-at-start=false}, as Rollgate's migration gate uses
 * them: the packaged application run as a process (as the Job runs it) against a real PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrateRoleIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static PostgresServer postgres;

    @TempDir
    static Path dir;

    @BeforeAll
    static void database() {
        postgres = PostgresServer.create("migrate-role");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    @Order(1)
    void waitsForTheDatabaseMigratesAndExitsZero() throws Exception {
        Process migrate = clinic("migrate", Map.of());
        Thread.sleep(2000);
        assertTrue(migrate.isAlive(), "the migrate role waits for a database that is not up yet");
        postgres.start();
        assertTrue(migrate.waitFor(60, TimeUnit.SECONDS), "the migrate role exits once migrated");
        assertEquals(0, migrate.exitValue());
        assertEquals(2, appliedMigrations());
    }

    @Test
    @Order(2)
    void anApiThatDoesNotMigrateIsNotReadyUntilTheMigrateRoleRan() throws Exception {
        Path release = Files.createDirectories(dir.resolve("release-3"));
        Files.writeString(
                release.resolve("V3__appointment_notes.sql"), "ALTER TABLE appointments ADD COLUMN notes text;\n");
        Map<String, String> env = Map.of(
                "CLINIC_FLYWAY_LOCATIONS",
                "classpath:db/migration,filesystem:" + release,
                "CLINIC_FLYWAY_MIGRATE_AT_START",
                "false");
        int port = freePort();
        Process api = clinic(
                "api",
                Map.of(
                        "CLINIC_FLYWAY_LOCATIONS",
                        env.get("CLINIC_FLYWAY_LOCATIONS"),
                        "CLINIC_FLYWAY_MIGRATE_AT_START",
                        "false",
                        "CLINIC_HTTP_PORT",
                        Integer.toString(port)));
        try {
            awaitStatus(port, 503, Duration.ofSeconds(60));
            Thread.sleep(2000);
            assertEquals(503, readiness(port), "pending V3: not ready, and it did not migrate by itself");
            assertEquals(2, appliedMigrations());

            Process migrate = clinic("migrate", env);
            assertTrue(migrate.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, migrate.exitValue());
            assertEquals(3, appliedMigrations());
            awaitStatus(port, 200, Duration.ofSeconds(30));
        } finally {
            api.destroy();
            api.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void aFailingMigrationExitsOneAndSaysWhyInTheTerminationMessage() throws Exception {
        Path release = Files.createDirectories(dir.resolve("release-4"));
        Files.writeString(release.resolve("V4__broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
        Path terminationLog = dir.resolve("termination-log");
        Process migrate = clinic(
                "migrate",
                Map.of(
                        "CLINIC_FLYWAY_LOCATIONS",
                        "classpath:db/migration,filesystem:" + dir.resolve("release-3") + ",filesystem:" + release,
                        "CLINIC_FLYWAY_TERMINATION_LOG",
                        terminationLog.toString()));
        assertTrue(migrate.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, migrate.exitValue());
        String message = Files.readString(terminationLog);
        assertTrue(message.startsWith("Migration failed: "), message);
        assertTrue(message.contains("42P01"), "the SQLState says what went wrong: " + message);
        assertEquals(3, appliedMigrations(), "the failed migration left no row behind");
    }

    private static Process clinic(String role, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java, "-Xmx128m", "-jar", JAR.toAbsolutePath().toString());
        pb.environment().put("CLINIC_ROLE", role);
        pb.environment().put("CLINIC_DB_URL", postgres.jdbcUrl());
        pb.environment().put("CLINIC_HTTP_PORT", Integer.toString(freePort()));
        pb.environment()
                .put(
                        "CLINIC_FLYWAY_TERMINATION_LOG",
                        dir.resolve("unused-termination-log").toString());
        pb.environment().putAll(env);
        Path log = dir.resolve(role + "-" + System.nanoTime() + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static int appliedMigrations() throws Exception {
        try (Connection c = postgres.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int readiness(int port) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void awaitStatus(int port, int status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = readiness(port);
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness answered " + last + ", not " + status + ", within " + within);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
