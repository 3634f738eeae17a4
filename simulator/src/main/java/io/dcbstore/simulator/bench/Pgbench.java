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

    Pgbench(String executable, String host, int port, String user, String database) {
        this.executable = executable;
        this.host = host;
        this.port = port;
        this.user = user;
        this.database = database;
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
        Path logs = Files.createTempDirectory("pgbench-log-");
        List<String> command = new ArrayList<>(List.of(
                executable,
                "-n",
                "-f",
                script.toString(),
                "-c",
                Integer.toString(clients),
                "-j",
                Integer.toString(Math.min(clients, 2)),
                "-T",
                Integer.toString(seconds),
                "-l",
                "--log-prefix=" + logs.resolve("tx"),
                "-h",
                host,
                "-p",
                Integer.toString(port),
                "-U",
                user,
                database));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("pgbench failed: " + String.join(" ", command) + "\n" + output);
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
