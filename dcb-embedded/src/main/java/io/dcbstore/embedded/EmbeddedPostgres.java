package io.dcbstore.embedded;

import io.dcbstore.embedded.internal.OperatingSystem;
import io.dcbstore.embedded.internal.ServerCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server process started from the embedded binaries: a fresh data directory,
 * loopback TCP only, trust authentication for the {@code postgres} user, TLS when asked for
 * ({@link #start(Map, ServerTls)}). When the JVM runs as root on Linux, the server runs as
 * {@code nobody}. Runs on Linux, macOS and Windows ({@link PostgresPlatform}); on Windows, start the
 * JVM from a user without administrator rights, as PostgreSQL requires there.
 * {@link #close()} stops it (fast shutdown) and deletes its data; a JVM shutdown hook does the
 * same if the caller forgets.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    /** The superuser of embedded servers. */
    public static final String USER = "postgres";
    /** How long {@link #kill()} lets the children of a killed postmaster exit on their own. */
    public static final Duration CHILDREN_EXIT_WAIT = Duration.ofSeconds(5);

    private final Path binaries;
    private final Path dataDirectory;
    private int port;
    private boolean everStarted;
    private final Map<String, String> settings;
    private final Thread shutdownHook;
    private Process process;
    private boolean hookRegistered;
    private int niceness;

    private EmbeddedPostgres(Path binaries, Path dataDirectory, int port, Map<String, String> settings) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.settings = settings;
        this.shutdownHook = new Thread(this::stopQuietly, "embedded-postgres-shutdown-" + port);
    }

    /**
     * Initialises a new data directory and starts a server on a free port.
     *
     * @param settings server settings ({@code postgresql.conf} names and values)
     * @return the running server
     */
    public static EmbeddedPostgres start(Map<String, String> settings) {
        EmbeddedPostgres server = initialise();
        server.settings.putAll(settings);
        server.startProcess();
        return server;
    }

    /**
     * Initialises a new data directory and starts a server on a free port that offers TLS with the
     * given certificate (clients choose with pgjdbc's {@code sslmode}, e.g. {@code verify-full}).
     *
     * @param settings server settings ({@code postgresql.conf} names and values)
     * @param tls the server's certificate and key
     * @return the running server
     */
    public static EmbeddedPostgres start(Map<String, String> settings, ServerTls tls) {
        EmbeddedPostgres server = initialise();
        server.settings.putAll(settings);
        try {
            server.enableTls(tls);
            server.startProcess();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Offers TLS from the server's next start on: copies the certificate and key where only the
     * server's user can read them (deleted with the server) and sets {@code ssl=on} with them.
     *
     * @param tls the server's certificate and key
     * @throws IllegalStateException if TLS is already on
     */
    public void enableTls(ServerTls tls) {
        Path directory = tlsDirectory();
        if (Files.exists(directory)) {
            throw new IllegalStateException("TLS is already on for the server on port " + port);
        }
        settings.putAll(tls.install(directory));
    }

    /** @return where the server's copies of its TLS files are (a sibling of the data directory) */
    Path tlsDirectory() {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".tls");
    }

    /**
     * Initialises a new, stopped server: for callers that prepare the data directory themselves
     * (a replica's base backup).
     *
     * @return the server, not yet started
     * @throws UnsupportedPlatformException if PostgreSQL cannot run here (see {@link PostgresBinaries#install()})
     * @throws MissingBinariesException if this platform's binaries are not on the class path
     */
    public static EmbeddedPostgres initialise() {
        Path binaries = PostgresBinaries.install();
        try {
            Path data = Files.createTempDirectory("dcb-pgdata-");
            Processes.handToServerUser(data);
            return new EmbeddedPostgres(binaries, data, freePort(), new TreeMap<>());
        } catch (IOException e) {
            throw new UncheckedIOException("creating a data directory failed", e);
        }
    }

    /** Runs initdb in the data directory. */
    public void initdb() {
        Processes.runToCompletion(
                Processes.asServerUser(
                        0,
                        List.of(
                                program("initdb"),
                                "-D",
                                dataDirectory.toString(),
                                "-U",
                                USER,
                                "-A",
                                "trust",
                                "-E",
                                "UTF8",
                                "--no-locale",
                                "--no-sync")),
                120);
    }

    private void startProcess() {
        if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            initdb();
        }
        startServer();
    }

    /**
     * Starts the server process on an initialised (or base-backed-up) data directory and waits
     * until it accepts connections.
     *
     * @param extraSettings more settings for this start
     */
    public void startServer(Map<String, String> extraSettings) {
        settings.putAll(extraSettings);
        startServer();
    }

    /**
     * Runs the server at a lower CPU priority from its next start on ({@code nice}; every process
     * it starts inherits it). For servers that share a machine with more important ones. Windows
     * has no {@code nice}: there the server runs at normal priority.
     *
     * @param value 0 (normal) to 19 (lowest priority)
     */
    void runAtNiceness(int value) {
        if (value < 0 || value > 19) {
            throw new IllegalArgumentException("niceness must be between 0 and 19, got " + value);
        }
        this.niceness = value;
    }

    /**
     * Starts the server. The port was free when it was chosen, but another process may have taken
     * it since: on the first start the server then moves to another free port (up to five tries);
     * a restart keeps its port, which clients already use.
     */
    private void startServer() {
        for (int attempt = 1; ; attempt++) {
            try {
                launch();
                everStarted = true;
                return;
            } catch (ServerReadiness.PortTakenException e) {
                if (everStarted || attempt >= 5) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.warn("port {} was taken before postgres could bind it; trying another", port);
                port = freePort();
            }
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                program("postgres"),
                "-D",
                dataDirectory.toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories="));
        settings.forEach((name, value) -> {
            command.add("-c");
            command.add(name + "=" + value);
        });
        try {
            Path log = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
            process = new ProcessBuilder(Processes.asServerUser(niceness, command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!hookRegistered) {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                hookRegistered = true;
            }
            ServerReadiness.await(process, jdbcUrl("postgres"), dataDirectory, Duration.ofSeconds(60), log);
        } catch (IOException e) {
            throw new UncheckedIOException("starting postgres failed", e);
        }
    }

    /** @return the last lines of the server's log, for error messages */
    public String logTail() {
        String log = ServerReadiness.readLog(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log"));
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    /** @return the TCP port */
    public int port() {
        return port;
    }

    /** @return the data directory */
    public Path dataDirectory() {
        return dataDirectory;
    }

    private String program(String name) {
        return ServerCommands.program(OperatingSystem.current(), binaries, name).toString();
    }

    /** @return the directory with {@code bin/}, {@code lib/}, {@code share/} */
    public Path binaries() {
        return binaries;
    }

    /**
     * @param database a database name
     * @return a JDBC URL for it
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** @return the server process (the postmaster), for checks that it ended */
    public ProcessHandle processHandle() {
        if (process == null) {
            throw new IllegalStateException("the server was never started");
        }
        return process.toHandle();
    }

    /** @return whether the server process is running */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server with a fast shutdown (SIGINT), keeping its data directory. */
    public void stopServer() {
        if (process == null || !process.isAlive()) {
            return;
        }
        Processes.signal(binaries, "INT", process.pid());
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Stops the server immediately, as a crash would: SIGKILL to the postmaster (its PID read from
     * {@code postmaster.pid}, which is the real server process even when the launcher dropped root
     * privileges), then waits for its children, which exit when they notice that the postmaster
     * died; those still running after {@link #CHILDREN_EXIT_WAIT} get a SIGKILL too. When this
     * returns, no process of the server runs and {@link #startServer(Map)} starts it again on the
     * same data directory, with crash recovery.
     */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        long postmaster = postmasterPid();
        List<ProcessHandle> children = ProcessHandle.of(postmaster)
                .map(handle -> handle.descendants().toList())
                .orElse(List.of());
        Processes.signal(binaries, "KILL", postmaster);
        try {
            process.waitFor();
            long deadline = System.nanoTime() + CHILDREN_EXIT_WAIT.toNanos();
            for (ProcessHandle child : children) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    child.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("children of the killed postgres on port {} still run after {}", port, CHILDREN_EXIT_WAIT);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                Processes.signal(binaries, "KILL", child.pid());
                child.onExit().join();
            }
        }
    }

    /**
     * The PID of the postmaster: the first line of {@code postmaster.pid} while the server runs,
     * else the PID of the process this class started.
     *
     * @return the PID
     */
    public long postmasterPid() {
        try {
            String pidFile = Files.readString(dataDirectory.resolve("postmaster.pid"));
            return Long.parseLong(pidFile.lines().findFirst().orElse("").trim());
        } catch (IOException | NumberFormatException e) {
            return processHandle().pid();
        }
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // Shutting down already, or never registered.
        }
    }

    private void stopQuietly() {
        try {
            stopServer();
        } catch (RuntimeException e) {
            LOG.warn("stopping postgres on port {} failed", port, e);
            if (process != null) {
                process.destroyForcibly();
            }
        }
        deleteRecursively(dataDirectory);
        deleteRecursively(tlsDirectory());
        try {
            Files.deleteIfExists(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log"));
        } catch (IOException ignored) {
            // Best effort.
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}", directory, e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
