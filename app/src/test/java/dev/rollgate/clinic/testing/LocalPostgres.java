package dev.rollgate.clinic.testing;

import java.io.IOException;

/**
 * The throwaway PostgreSQL of {@code app/run-local.sh}: the tests' {@link PostgresServer}, started from the
 * command line, so that there is one way to find the binaries, run initdb (as {@code postgres} when root)
 * and start and stop the server.
 *
 * <p>Prints {@value #URL_PREFIX}{@code <jdbc url>} on a line of its own on stdout once the server accepts
 * connections (human messages go to stderr), then runs until stdin closes or the JVM is told to stop
 * (SIGTERM, SIGINT). Either way PostgreSQL is stopped and, as root, its folder under /tmp removed. Waiting
 * on stdin is what makes this safe to run from a script: the script holds the other end of the pipe, and
 * the kernel closes it however the script ends, {@code kill -9} included.
 */
public final class LocalPostgres {

    /** What the machine-readable line starts with; app/run-local.sh looks for it. */
    static final String URL_PREFIX = "CLINIC_DB_URL=";

    private LocalPostgres() {}

    public static void main(String[] args) throws IOException {
        // Stopped by the shutdown hook PostgresServer registers when the JVM exits on a signal.
        PostgresServer server = PostgresServer.create("local");
        server.start();
        System.err.println("PostgreSQL on 127.0.0.1:" + server.port());
        System.out.println(URL_PREFIX + server.jdbcUrl());
        System.out.flush();
        while (System.in.read() != -1) {
            // Input is only a keep-alive: its end is the signal to stop.
        }
        System.err.println("Stopping PostgreSQL");
        server.close();
    }
}
