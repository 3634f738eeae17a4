package io.dcbstore.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary with N physical streaming replicas, started from the embedded binaries
 * with one call. The embedded binaries have no {@code pg_basebackup}, so the base backup is a
 * copy of the primary's data directory taken after a clean shutdown (consistent without WAL
 * replay): initdb, start, create one replication slot per replica (reserving WAL at once), stop
 * cleanly, copy, then start the primary and each replica with {@code standby.signal},
 * {@code primary_conninfo} and {@code primary_slot_name}. Stops cleanly and leaves no process.
 *
 * <p>The replicas run at a lower CPU priority ({@code nice} {@value #REPLICA_NICENESS}): on one
 * machine they stand in for servers of their own, and where CPU is short the primary's commits
 * should not wait behind WAL replay (measured in docs/performance.md: with the replica at normal
 * priority its WAL receiver and replay took 9% of a 2-core machine's CPU at 1,000 requests a
 * second, at the moments the primary's backends needed it). Replicas still use every idle cycle.
 * Windows has no {@code nice}: there the replicas run at normal priority.
 */
public final class EmbeddedCluster implements AutoCloseable {
    /** The {@code nice} value of replica servers: below the primary when CPU is short. */
    public static final int REPLICA_NICENESS = 10;

    private final EmbeddedPostgres primary;
    private final List<EmbeddedPostgres> replicas;

    private EmbeddedCluster(EmbeddedPostgres primary, List<EmbeddedPostgres> replicas) {
        this.primary = primary;
        this.replicas = replicas;
    }

    /**
     * Starts a primary and replicas with the tuned settings of {@link ServerSettings}.
     *
     * @param replicaCount how many replicas (0 or more)
     * @param primarySettings settings of the primary
     * @param replicaSettings settings of every replica
     * @return the running cluster, replicas streaming
     */
    public static EmbeddedCluster start(
            int replicaCount, Map<String, String> primarySettings, Map<String, String> replicaSettings) {
        return start(replicaCount, primarySettings, replicaSettings, null);
    }

    /**
     * Like {@link #start(int, Map, Map)}, with every server offering TLS with the same certificate
     * (all listen on 127.0.0.1); the replicas stream from the primary over TLS
     * ({@code sslmode=require}: encrypted; the certificate is not verified on this loopback link).
     *
     * @param replicaCount how many replicas (0 or more)
     * @param primarySettings settings of the primary
     * @param replicaSettings settings of every replica
     * @param tls the servers' certificate and key, or {@code null} for none
     * @return the running cluster, replicas streaming
     */
    public static EmbeddedCluster start(
            int replicaCount, Map<String, String> primarySettings, Map<String, String> replicaSettings, ServerTls tls) {
        if (replicaCount < 0) {
            throw new IllegalArgumentException("replica count must not be negative, got " + replicaCount);
        }
        EmbeddedPostgres primary = EmbeddedPostgres.initialise();
        List<EmbeddedPostgres> replicas = new ArrayList<>();
        try {
            if (tls != null) {
                primary.enableTls(tls);
            }
            primary.initdb();
            primary.startServer(primarySettings);
            if (replicaCount == 0) {
                return new EmbeddedCluster(primary, List.of()); // no slots to create, no restart needed
            }
            try (Connection connection =
                            DriverManager.getConnection(primary.jdbcUrl("postgres"), EmbeddedPostgres.USER, "");
                    Statement statement = connection.createStatement()) {
                for (int i = 1; i <= replicaCount; i++) {
                    statement.execute("SELECT pg_create_physical_replication_slot('" + slotName(i) + "', true)");
                }
            }
            primary.stopServer();
            for (int i = 1; i <= replicaCount; i++) {
                EmbeddedPostgres replica = EmbeddedPostgres.initialise();
                replicas.add(replica); // closed with the others if what follows fails
                replica.runAtNiceness(REPLICA_NICENESS);
                if (tls != null) {
                    replica.enableTls(tls);
                }
                copyForStandby(primary.dataDirectory(), replica.dataDirectory());
            }
            primary.startServer(Map.of());
            for (int i = 0; i < replicas.size(); i++) {
                Map<String, String> settings = new LinkedHashMap<>(replicaSettings);
                settings.put(
                        "primary_conninfo",
                        "host=127.0.0.1 port=" + primary.port() + " user=" + EmbeddedPostgres.USER
                                + " application_name=" + slotName(i + 1)
                                // With TLS, streaming must not fall back to plain text unnoticed.
                                + (tls == null ? "" : " sslmode=require"));
                settings.put("primary_slot_name", slotName(i + 1));
                replicas.get(i).startServer(settings);
            }
            EmbeddedCluster cluster = new EmbeddedCluster(primary, List.copyOf(replicas));
            cluster.awaitStreaming(Duration.ofSeconds(30));
            return cluster;
        } catch (SQLException e) {
            closeAll(primary, replicas);
            throw new IllegalStateException("setting up replication failed", e);
        } catch (RuntimeException e) {
            closeAll(primary, replicas);
            throw e;
        }
    }

    /**
     * @param replica which replica, counted from 1
     * @return the replication slot (and application name) of the i-th replica, from 1
     */
    public static String slotName(int replica) {
        return "replica_" + replica;
    }

    private static void copyForStandby(Path source, Path target) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = source.relativize(path);
                String first =
                        relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
                if (first.equals("postmaster.pid")
                        || first.equals("postmaster.opts")
                        || (first.equals("pg_replslot") && relative.getNameCount() > 1)) {
                    continue;
                }
                Path destination = target.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(
                            path, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.createFile(target.resolve("standby.signal"));
            Processes.handToServerUser(target);
        } catch (IOException e) {
            throw new UncheckedIOException("copying the base backup to " + target + " failed", e);
        }
    }

    /**
     * Waits until every running replica streams from the primary.
     *
     * @param timeout how long to wait
     */
    public void awaitStreaming(Duration timeout) {
        long running = replicas.stream().filter(EmbeddedPostgres::isRunning).count();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection =
                            DriverManager.getConnection(primary.jdbcUrl("postgres"), EmbeddedPostgres.USER, "");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
                rows.next();
                if (rows.getLong(1) >= running) {
                    return;
                }
            } catch (SQLException e) {
                // The primary may be starting; try again.
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for replication", e);
            }
        }
        StringBuilder logs = new StringBuilder();
        for (EmbeddedPostgres replica : replicas) {
            logs.append("\n--- replica on port ")
                    .append(replica.port())
                    .append(":\n")
                    .append(replica.logTail());
        }
        throw new IllegalStateException("replicas did not start streaming within " + timeout + logs);
    }

    /** @return the primary */
    public EmbeddedPostgres primary() {
        return primary;
    }

    /** @return the replicas, in slot order */
    public List<EmbeddedPostgres> replicas() {
        return replicas;
    }

    @Override
    public void close() {
        closeAll(primary, replicas);
    }

    private static void closeAll(EmbeddedPostgres primary, List<EmbeddedPostgres> replicas) {
        for (EmbeddedPostgres replica : replicas) {
            replica.close();
        }
        primary.close();
    }
}
