package dev.rollgate.clinic.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for tests and benchmarks, built from the machine's server binaries.
 *
 * <p>Data, socket and log live under {@code target/pg/<name>}; the server listens on 127.0.0.1 only, on a
 * port chosen once so that {@link #stop()} and {@link #start()} bring back the <em>same</em> address — which
 * is what an outage looks like to the app. initdb refuses root, so as root every server command runs as
 * the {@code postgres} user. A JVM shutdown hook stops the server (by the PID in postmaster.pid) even when
 * a test fails or the run is interrupted.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "clinic";
    public static final String USER = "clinic";
    public static final String PASSWORD = "clinic";
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path root;
    private final Path bindir;
    private final int port;
    private final boolean runAsPostgresUser;
    private final Thread shutdownHook;
    private boolean running;

    private PostgresServer(Path root, Path bindir, int port) {
        this.root = root;
        this.bindir = bindir;
        this.port = port;
        this.runAsPostgresUser = runsAsRoot();
        this.shutdownHook = new Thread(this::stopOnExit, "postgres-" + port + "-shutdown");
    }

    /** Creates (initdb) a new, stopped server named {@code name} with the {@value #DATABASE} database. */
    public static PostgresServer create(String name) {
        PostgresServer server = new PostgresServer(serverRoot(name), findBindir(), freeLoopbackPort());
        server.initialise();
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        return server;
    }

    /**
     * {@code target/pg/<name>}, except as root: the server then runs as {@code postgres}, which may not
     * traverse the checkout (a clone under a 0700 {@code mktemp -d} folder, say), so its files go to a
     * fresh folder under the system temp directory instead, removed again by {@link #close()}.
     */
    private static Path serverRoot(String name) {
        if (!runsAsRoot()) {
            return Paths.get("target", "pg", name).toAbsolutePath();
        }
        try {
            return Files.createTempDirectory("rollgate-pg-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for PostgreSQL", e);
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    public synchronized boolean isRunning() {
        return running;
    }

    /** Starts the server and returns once it accepts connections. */
    public synchronized void start() {
        run(
                pgCommand(
                        "pg_ctl",
                        "-D",
                        data().toString(),
                        "-l",
                        root.resolve("postgres.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + socketDir()
                                + " -c fsync=off",
                        "start"),
                null);
        running = true;
    }

    /** Fast shutdown: open sessions are terminated (SQLState 57P01), as in a real database restart. */
    public synchronized void stop() {
        run(pgCommand("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop"), null);
        running = false;
    }

    @Override
    public synchronized void close() {
        if (running) {
            stop();
        }
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        removeTemporaryRoot();
    }

    private void initialise() {
        try {
            deleteRecursively(root);
            Files.createDirectories(socketDir());
            Path passwordFile = root.resolve("pwfile");
            Files.writeString(passwordFile, PASSWORD + "\n");
            if (runAsPostgresUser) {
                UserPrincipal postgres =
                        root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                for (Path path : List.of(root, socketDir(), passwordFile)) {
                    Files.setOwner(path, postgres);
                }
            }
            run(
                    pgCommand(
                            "initdb",
                            "-D",
                            data().toString(),
                            "-U",
                            USER,
                            "--pwfile=" + passwordFile,
                            "--auth-host=scram-sha-256",
                            "--auth-local=trust",
                            "-E",
                            "UTF8",
                            "--locale=C",
                            "--no-sync"),
                    null);
            // Single-user mode creates the database without starting a server.
            run(
                    pgCommand("postgres", "--single", "-D", data().toString(), "postgres"),
                    "CREATE DATABASE " + DATABASE + ";\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + root, e);
        }
    }

    /** The temp folder used as root is removed; {@code target/pg} stays for a look after a failed run. */
    private void removeTemporaryRoot() {
        if (runAsPostgresUser) {
            try {
                deleteRecursively(root);
            } catch (IOException e) {
                System.err.println("could not remove " + root + ": " + e.getMessage());
            }
        }
    }

    private void stopOnExit() {
        if (!isRunning()) {
            removeTemporaryRoot();
            return;
        }
        try {
            run(pgCommand("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", "10", "stop"), null);
        } catch (RuntimeException e) {
            postmasterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
        removeTemporaryRoot();
    }

    private Optional<Long> postmasterPid() {
        try (Stream<String> lines = Files.lines(data().resolve("postmaster.pid"))) {
            return lines.findFirst().map(String::trim).map(Long::valueOf);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path data() {
        return root.resolve("data");
    }

    private Path socketDir() {
        return root.resolve("socket");
    }

    private List<String> pgCommand(String binary, String... args) {
        List<String> command = new ArrayList<>();
        if (runAsPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bindir.resolve(binary).toString());
        command.addAll(List.of(args));
        return command;
    }

    private void run(List<String> command, String stdin) {
        Path log = root.resolve("commands.log");
        try {
            Files.writeString(
                    log,
                    "$ " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "failed (exit " + process.exitValue() + "): " + command + "\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** The server binaries, or a failure that says what to install — these tests are never skipped. */
    static Path findBindir() {
        List<Path> candidates = new ArrayList<>();
        String fromEnv = System.getenv("PG_BINDIR");
        if (fromEnv != null) {
            candidates.add(Paths.get(fromEnv));
        }
        pgConfigBindir().ifPresent(candidates::add);
        candidates.add(Paths.get("/usr/lib/postgresql/15/bin"));
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl, postgres) "
                        + "not found in " + candidates + ". Install the postgresql-15 package "
                        + "(apt-get install postgresql-15) or set PG_BINDIR."));
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? Optional.of(Paths.get(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
