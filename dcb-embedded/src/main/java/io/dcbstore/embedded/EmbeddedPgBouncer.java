package io.dcbstore.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A PgBouncer in front of a server, for tests and the simulator: the system's {@code pgbouncer}
 * program (Debian: {@code apt-get install pgbouncer}; it is not on Maven Central), with its own
 * configuration in a temporary directory, listening on 127.0.0.1 only. Like the servers, it runs
 * as {@code nobody} when this JVM is root (PgBouncer refuses root too).
 *
 * <p>Every database name maps to the server's database of the same name, logged in as the given
 * user without a password (the embedded servers trust local connections). Clients log in to
 * PgBouncer with {@code auth_type = trust} for that user. The pool mode and every other setting
 * are the caller's ({@link #transactionMode}: the mode that production poolers often use).
 *
 * <p>Stopped by its process id with SIGINT (PgBouncer's safe shutdown, immediate when idle), then
 * SIGKILL after 10 s; a shutdown hook stops it if the JVM exits first.
 */
public final class EmbeddedPgBouncer implements AutoCloseable {
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_]{1,64}");
    private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9_.,:/ -]{0,200}");

    private final Path directory;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;

    private EmbeddedPgBouncer(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.shutdownHook = new Thread(this::stop, "dcb-pgbouncer-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Settings of a pooler in transaction mode with fewer server connections than a test's
     * clients, and server connections handed out in turn, so that a client's consecutive
     * transactions run on different server connections and any session state left behind shows.
     *
     * @param serverConnections server connections per database and user ({@code default_pool_size})
     * @return the settings, to pass to {@link #start}
     */
    public static Map<String, String> transactionMode(int serverConnections) {
        return transactionMode(serverConnections, true);
    }

    /**
     * Settings of a pooler in transaction mode.
     *
     * @param serverConnections server connections per database and user ({@code default_pool_size})
     * @param inTurn whether server connections are handed out in turn ({@code server_round_robin},
     *     for tests) rather than the last one freed first (PgBouncer's default, for measurements)
     * @return the settings, to pass to {@link #start}
     */
    public static Map<String, String> transactionMode(int serverConnections, boolean inTurn) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pool_mode", "transaction");
        settings.put("default_pool_size", Integer.toString(serverConnections));
        settings.put("min_pool_size", Integer.toString(serverConnections));
        settings.put("server_round_robin", inTurn ? "1" : "0");
        settings.put("max_client_conn", "1000");
        return settings;
    }

    /**
     * @return the {@code pgbouncer} program on this machine's PATH (or in /usr/sbin, where Debian
     *     puts it), if there is one
     */
    public static Optional<Path> program() {
        List<String> directories =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        directories.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"));
        return directories.stream()
                .filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, "pgbouncer"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts PgBouncer in front of a server and waits until it accepts connections.
     *
     * @param serverPort the server's port on 127.0.0.1
     * @param user the user PgBouncer logs in as, and the one clients may log in as
     * @param settings PgBouncer settings (lower-case names; values of letters, digits and {@code _.,:/ -})
     * @return the running pooler
     * @throws IllegalStateException when there is no {@code pgbouncer} program, or it does not start
     */
    public static EmbeddedPgBouncer start(int serverPort, String user, Map<String, String> settings) {
        Path program = program()
                .orElseThrow(() -> new IllegalStateException(
                        "no pgbouncer program on this machine: install it (Debian/Ubuntu: apt-get install pgbouncer)"));
        if (!user.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain user name: " + user);
        }
        settings.forEach((name, value) -> {
            if (!SETTING_NAME.matcher(name).matches()
                    || !SETTING_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException(
                        "not a PgBouncer setting this launcher writes: " + name + "=" + value);
            }
        });
        try {
            Path directory = Files.createTempDirectory("dcb-pgbouncer-");
            int port = EmbeddedPostgres.freePort();
            Path ini = directory.resolve("pgbouncer.ini");
            Files.writeString(ini, configuration(directory, serverPort, port, user, settings), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("userlist.txt"), "\"" + user + "\" \"\"\n", StandardCharsets.UTF_8);
            Processes.handToServerUser(directory);
            Process process = new ProcessBuilder(Processes.asServerUser(0, List.of(program.toString(), ini.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("stdout.log").toFile()))
                    .start();
            EmbeddedPgBouncer bouncer = new EmbeddedPgBouncer(directory, port, process);
            bouncer.awaitListening(Duration.ofSeconds(20));
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("starting pgbouncer failed", e);
        }
    }

    private static String configuration(
            Path directory, int serverPort, int port, String user, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("listen_addr", "127.0.0.1");
        all.put("listen_port", Integer.toString(port));
        all.put("unix_socket_dir", "");
        all.put("auth_type", "trust");
        all.put("auth_file", directory.resolve("userlist.txt").toString());
        all.put("admin_users", user);
        all.put("logfile", directory.resolve("pgbouncer.log").toString());
        all.put("pidfile", directory.resolve("pgbouncer.pid").toString());
        all.putAll(settings);
        StringBuilder text = new StringBuilder("[databases]\n* = host=127.0.0.1 port=")
                .append(serverPort)
                .append(" user=")
                .append(user)
                .append("\n\n[pgbouncer]\n");
        all.forEach(
                (name, value) -> text.append(name).append(" = ").append(value).append('\n'));
        return text.toString();
    }

    private void awaitListening(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new IllegalStateException("pgbouncer exited with code " + process.exitValue() + ":\n" + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("interrupted while waiting for pgbouncer", e);
                }
            }
        }
        String log = log();
        close();
        throw new IllegalStateException("pgbouncer did not listen on port " + port + " within " + wait + ":\n" + log);
    }

    /** @return the port clients connect to */
    public int port() {
        return port;
    }

    /**
     * @param database a database name
     * @return a JDBC URL for it through this pooler, with {@code prepareThreshold=0} (no server-side
     *     prepared statements, which PgBouncer before 1.21 cannot keep in transaction mode)
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?prepareThreshold=0";
    }

    /** @return PgBouncer's process id */
    public long pid() {
        return process.pid();
    }

    /** @return whether PgBouncer is running */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** @return PgBouncer's log (its own log file, then what it printed), for error messages */
    public String log() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("pgbouncer.log", "stdout.log")) {
            try {
                Path file = directory.resolve(name);
                if (Files.exists(file)) {
                    text.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                text.append("(")
                        .append(name)
                        .append(" unreadable: ")
                        .append(e.getMessage())
                        .append(")\n");
            }
        }
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text.toString();
    }

    private void stop() {
        if (process.isAlive()) {
            try {
                Processes.signal(directory, "INT", process.pid());
            } catch (IllegalStateException alreadyGone) {
                // It exited between the check and the signal.
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Stops PgBouncer (SIGINT, then SIGKILL after 10 s) and deletes its directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or will run; stopping twice is harmless.
        }
        EmbeddedPostgres.deleteRecursively(directory);
    }
}
