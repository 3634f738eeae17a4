package io.dcbstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.embedded.internal.OperatingSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedClusterTest {

    @Test
    void aPrimaryAndAReplicaStartStreamAndStopWithoutLeavingProcesses() throws Exception {
        List<ProcessHandle> servers;
        try (EmbeddedCluster cluster =
                EmbeddedCluster.start(1, ServerSettings.forTests(), ServerSettings.replicaForTests())) {
            EmbeddedPostgres replica = cluster.replicas().get(0);
            try (Connection primary = connect(cluster.primary());
                    Statement statement = primary.createStatement()) {
                statement.execute("CREATE TABLE replicated (id int)");
                statement.execute("INSERT INTO replicated VALUES (42)");
            }
            assertThat(queryUntil(replica, "SELECT count(*) FROM replicated WHERE id = 42", 1))
                    .isEqualTo(1);
            assertThat(queryUntil(replica, "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END", 1))
                    .isEqualTo(1);
            assertThat(queryUntil(cluster.primary(), "SELECT count(*) FROM pg_replication_slots WHERE active", 1))
                    .isEqualTo(1);
            // Every process of both servers: the postmasters and their children (checkpointer, WAL
            // sender and receiver, startup, backends), any of which could outlive a careless stop.
            servers = new ArrayList<>();
            for (EmbeddedPostgres server : List.of(cluster.primary(), replica)) {
                servers.add(server.processHandle());
                server.processHandle().descendants().forEach(servers::add);
            }
            assertThat(servers).hasSizeGreaterThanOrEqualTo(2 + 2 * 3);
            if (OperatingSystem.current() == OperatingSystem.LINUX) { // nice values come from /proc
                // nice is relative: the servers start from the nice value of the JVM that starts them
                // (a build run under nice starts its servers there too).
                int base = niceness(ProcessHandle.current());
                int replicaNiceness = Math.min(19, base + EmbeddedCluster.REPLICA_NICENESS);
                assertThat(niceness(cluster.primary().processHandle()))
                        .as("primary")
                        .isEqualTo(base);
                assertThat(niceness(replica.processHandle())).as("replica").isEqualTo(replicaNiceness);
                for (ProcessHandle child :
                        replica.processHandle().children().toList()) { // WAL receiver, startup, backends
                    assertThat(niceness(child))
                            .as("replica's child %s", child.info().commandLine())
                            .isEqualTo(replicaNiceness);
                }
            }
        }
        for (ProcessHandle process : servers) {
            assertThat(process.isAlive())
                    .as(
                            "server process %s (%s) after close",
                            process.pid(), process.info().commandLine())
                    .isFalse();
        }
    }

    /** The nice value: field 19 of {@code /proc/<pid>/stat} (after the parenthesised command name). */
    private static int niceness(ProcessHandle process) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    private static Connection connect(EmbeddedPostgres server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"), EmbeddedPostgres.USER, "");
    }

    private static long queryUntil(EmbeddedPostgres server, String sql, long wanted) throws Exception {
        long value = -1;
        for (int attempt = 0; attempt < 100 && value != wanted; attempt++) {
            try (Connection connection = connect(server);
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                value = rows.getLong(1);
            } catch (SQLException e) {
                value = -1;
            }
            if (value != wanted) {
                Thread.sleep(100);
            }
        }
        return value;
    }
}
