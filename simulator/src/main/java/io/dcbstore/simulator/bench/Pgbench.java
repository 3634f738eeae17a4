package io.dcbstore.simulator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Runs pgbench (the PostgreSQL client tool, {@code apt-get install postgresql-client}) with one of
 * the reference's scripts and reads its throughput and, from its per-transaction log, its latency
 * percentiles.
 */
final class Pgbench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final String executable;
    private final String host;
    private final int port;
    private final String user;
    private final String database;
    private final String password;

    Pgbench(String executable, String host, int port, String user, String database) {
        this(executable, host, port, user, database, "");
    }

    /**
     * @param executable the pgbench executable
     * @param host the server's host
     * @param port its port
     * @param user the database user
     * @param database the database
     * @param password the password (given to pgbench as {@code PGPASSWORD}), empty for none
     */
    Pgbench(String executable, String host, int port, String user, String database, String password) {
        this.executable = executable;
        this.host = host;
        this.port = port;
        this.user = user;
        this.database = database;
        this.password = password;
    }

    /** What one pgbench run measured. */
    record Result(double tps, Histogram latencyMicros) {}

    /** @return whether the executable runs */
    boolean available() {
        try {
            Process process = new ProcessBuilder(executable, "--version")
                    .redirectErrorStream(true)
                    .start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param script the pgbench script
     * @param clients concurrent clients
     * @param seconds duration
     * @return throughput and latencies
     */
    Result run(Path script, int clients, int seconds) throws IOException, InterruptedException {
        return start(List.of("-f", script.toString()), clients, seconds, 0, false)
                .await();
    }

    /**
     * Starts pgbench without waiting for it.
     *
     * @param scripts the script options ({@code -f file[@weight]} pairs)
     * @param clients concurrent clients
     * @param seconds duration
     * @param rate transactions per second to send ({@code -R}), or 0 for as many as it can
     * @param prepared whether to use prepared statements ({@code -M prepared}), as pgjdbc does after a
     *     few executions, instead of the simple protocol
     * @return the running pgbench
     * @throws IOException when it cannot be started
     */
    Running start(List<String> scripts, int clients, int seconds, double rate, boolean prepared) throws IOException {
        Path logs = Files.createTempDirectory("pgbench-log-");
        List<String> command = new ArrayList<>(List.of(executable, "-n"));
        if (prepared) {
            command.addAll(List.of("-M", "prepared"));
        }
        command.addAll(scripts);
        command.addAll(List.of(
                "-c",
                Integer.toString(clients),
                "-j",
                Integer.toString(Math.min(clients, 2)),
                "-T",
                Integer.toString(seconds)));
        if (rate > 0) {
            command.addAll(List.of("-R", String.format(java.util.Locale.ROOT, "%.1f", rate)));
        }
        command.addAll(List.of(
                "-l",
                "--log-prefix=" + logs.resolve("tx"),
                "-h",
                host,
                "-p",
                Integer.toString(port),
                "-U",
                user,
                database));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (!password.isEmpty()) {
            builder.environment().put("PGPASSWORD", password);
        }
        return new Running(builder.start(), command, logs, seconds);
    }

    /** A pgbench that was started; {@link #await()} waits for it and reads what it measured. */
    static final class Running {
        private final Process process;
        private final List<String> command;
        private final Path logs;
        private final int seconds;

        private Running(Process process, List<String> command, Path logs, int seconds) {
            this.process = process;
            this.command = command;
            this.logs = logs;
            this.seconds = seconds;
        }

        /**
         * @return throughput and latencies
         * @throws IOException when pgbench failed or printed no throughput
         * @throws InterruptedException when interrupted while waiting (pgbench is then stopped)
         */
        Result await() throws IOException, InterruptedException {
            String output;
            try {
                output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IOException("pgbench failed: " + String.join(" ", command) + "\n" + output);
                }
            } finally {
                process.destroy();
            }
            Matcher matcher = TPS.matcher(output);
            if (!matcher.find()) {
                throw new IOException("pgbench printed no tps:\n" + output);
            }
            Histogram latencies = new Histogram(3_600_000_000L, 3);
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    try (Stream<String> lines = Files.lines(file)) {
                        lines.forEach(line -> {
                            String[] columns = line.split(" ");
                            if (columns.length >= 3) {
                                latencies.recordValue(Math.max(1, Long.parseLong(columns[2])));
                            }
                        });
                    }
                    Files.delete(file);
                }
            }
            Files.delete(logs);
            return new Result(Double.parseDouble(matcher.group(1)), latencies);
        }

        /** Stops pgbench if it still runs (after a failure of the other side, or an interrupt). */
        void stop() {
            process.destroy();
        }
    }

    /**
     * @return a temporary directory holding the reference's SQL scripts (append, query, race, and
     *     the two locking variants), deleted when the JVM exits
     * @throws IOException when a script is missing or cannot be written
     */
    static Path extractReferenceScripts() throws IOException {
        Path directory = Files.createTempDirectory("reference-sql-");
        for (String name :
                Arrays.asList("append.sql", "query.sql", "race.sql", "append_lock2.sql", "append_global.sql")) {
            try (InputStream in = Pgbench.class.getResourceAsStream("/reference-sql/" + name)) {
                if (in == null) {
                    throw new IOException("missing resource /reference-sql/" + name);
                }
                Files.copy(in, directory.resolve(name));
            }
        }
        directory.toFile().deleteOnExit();
        return directory;
    }
}
