package io.dcbstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The faults the simulator's {@code --chaos} causes, on a real primary and replica. */
class EmbeddedClusterFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aPrimaryKilledWithSigkillLeavesNoProcessAndComesBackWithEveryCommittedRow() throws Exception {
        try (EmbeddedCluster cluster =
                EmbeddedCluster.start(1, ServerSettings.forTests(), ServerSettings.replicaForTests())) {
            EmbeddedPostgres primary = cluster.primary();
            execute(
                    primary,
                    "CREATE TABLE committed (id int)",
                    "INSERT INTO committed SELECT generate_series(1, 1000)");
            long postmaster = primary.postmasterPid();
            List<ProcessHandle> backends =
                    ProcessHandle.of(postmaster).orElseThrow().children().toList();

            primary.kill();

            assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
                    .as("the postmaster after SIGKILL")
                    .isEmpty();
            assertThat(backends).as("its children").noneMatch(ProcessHandle::isAlive);
            assertThat(primary.isRunning()).isFalse();

            primary.startServer(Map.of());

            assertThat(primary.postmasterPid()).isNotEqualTo(postmaster);
            assertThat(count(primary, "SELECT count(*) FROM committed")).isEqualTo(1000);
        }
    }

    @Test
    void theReplicaStreamsAgainAfterThePrimaryIsKilledAndRestartedAndAfterItIsStoppedAndRestarted() throws Exception {
        try (EmbeddedCluster cluster =
                EmbeddedCluster.start(1, ServerSettings.forTests(), ServerSettings.replicaForTests())) {
            EmbeddedPostgres primary = cluster.primary();
            EmbeddedPostgres replica = cluster.replicas().get(0);
            execute(primary, "CREATE TABLE replicated (id int)", "INSERT INTO replicated VALUES (1)");

            primary.kill();
            primary.startServer(Map.of());
            execute(primary, "INSERT INTO replicated VALUES (2)");
            cluster.awaitStreaming(WAIT);

            assertThat(awaitCount(replica, "SELECT count(*) FROM replicated", 2))
                    .isEqualTo(2);

            replica.stopServer();
            assertThat(replica.isRunning()).isFalse();
            execute(primary, "INSERT INTO replicated VALUES (3)");
            replica.startServer(Map.of());
            cluster.awaitStreaming(WAIT);

            assertThat(awaitCount(replica, "SELECT count(*) FROM replicated", 3))
                    .isEqualTo(3);
            assertThat(count(primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"))
                    .isEqualTo(1);
        }
    }

    private static Connection connect(EmbeddedPostgres server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"), EmbeddedPostgres.USER, "");
    }

    private static void execute(EmbeddedPostgres server, String... statements) throws SQLException {
        try (Connection connection = connect(server);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long count(EmbeddedPostgres server, String sql) throws SQLException {
        try (Connection connection = connect(server);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Polls until the count is reached (replay is asynchronous) or {@link #WAIT} has passed. */
    private static long awaitCount(EmbeddedPostgres server, String sql, long wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long value = count(server, sql);
        while (value != wanted && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = count(server, sql);
        }
        return value;
    }
}
