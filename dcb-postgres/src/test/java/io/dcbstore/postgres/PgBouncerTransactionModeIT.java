package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.Cancellation;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.embedded.EmbeddedPgBouncer;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Behind PgBouncer in transaction mode: what the store refuses at start, and that no state of one
 * client's transaction stays on a server connection that another client then gets.
 */
class PgBouncerTransactionModeIT {

    @Test
    void aStoreBehindATransactionPoolerRefusesServerSidePreparedStatementsAndSaysWhatToChange() {
        String table = TestDatabase.uniqueName("pgb");
        try (HikariDataSource pool = PgBouncerFixture.pool(PgBouncerFixture.get(), table, 4, "")) {
            assertThatThrownBy(() -> PostgresEventStore.create(
                            pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("connection pooler in transaction mode")
                    .hasMessageContaining("prepareThreshold=5")
                    .hasMessageContaining("Add prepareThreshold=0 to the JDBC URL");
        }
        try (HikariDataSource pool = PgBouncerFixture.pool(PgBouncerFixture.get(), table, 1, "?prepareThreshold=3")) {
            assertThatThrownBy(() -> PostgresEventStore.create(
                            pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap")))
                    .as("a pool of one cannot be probed: the stricter mode is assumed")
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("prepareThreshold=3");
        }
    }

    @Test
    void aSessionPoolerKeepsEachClientsServerConnectionSoPreparedStatementsAreAccepted() {
        String table = TestDatabase.uniqueName("pgb");
        try (EmbeddedPgBouncer session =
                        PgBouncerFixture.start(Map.of("pool_mode", "session", "max_client_conn", "100"));
                HikariDataSource pool = PgBouncerFixture.pool(session, table, 4, "")) {
            try (PostgresEventStore store = PostgresEventStore.create(
                    pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
                for (int i = 0; i < 20; i++) { // past pgjdbc's prepareThreshold of 5: named statements
                    store.append(Event.of("Tick", Map.of("n", i)));
                }
                assertThat(store.query(Filter.anyOf(FilterItem.types("Tick"))).events())
                        .hasSize(20);
            }
        }
    }

    /**
     * On a pooler of its own whose four server connections are all open and idle, handed out in
     * turn: the server connection that ran the cancelled append goes to the back of the queue, so
     * the cancelled client's next statement (where the store up to schema 5 ran
     * pg_advisory_unlock_all()) runs on another one. On the shared pooler the test depended on how
     * many server connections it had opened by then: with one idle server the unlock ran on the
     * right one, and the test passed against the schema-5 code too.
     */
    @Test
    void anAppendCancelledWhileItHoldsTheIdLockLeavesNoLockAndOtherClientsAppendThroughTheSamePooler()
            throws Exception {
        List<EventStore> others = new ArrayList<>();
        List<HikariDataSource> pools = new ArrayList<>();
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(4))) {
            String table = TestDatabase.uniqueName("pgb");
            HikariDataSource cancelledPool = PgBouncerFixture.pool(bouncer, table, 2, "?prepareThreshold=0");
            pools.add(cancelledPool);
            EventStore cancelled = PostgresEventStore.create(
                    cancelledPool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"));
            others.add(cancelled);
            cancelled.append(Event.of("Tick", Map.of("n", 0)));
            assertThat(openAllServers(bouncer, 4))
                    .as("four server connections, all idle")
                    .hasSize(4);
            Cancellation cancellation = Cancellation.create();
            try (Connection blocker = TestDatabase.get().unpooled().getConnection();
                    Connection observer = TestDatabase.get().unpooled().getConnection();
                    Statement statement = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                String sequence = IdLockTest.sequence(statement, table);
                statement.execute("ALTER SEQUENCE " + sequence + " CACHE 1"); // nextval waits for this
                CompletableFuture<?> append = CompletableFuture.runAsync(() -> cancelled.append(
                        List.of(Event.of("Tick", Map.of("n", 1))),
                        null,
                        AppendOptions.DEFAULT.withCancellation(cancellation)));
                IdLockTest.awaitIdLockHeldByAWaitingAppend(observer, table);
                cancellation.cancel();
                assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(OperationCancelledException.class);
                blocker.rollback();
                assertThat(IdLockTest.idLocksHeld(observer, table))
                        .as("no server connection of the pooler holds the id lock")
                        .isZero();
            }
            // Other clients' appends: each store has its own pool, and the pooler hands its 4 server
            // connections round robin, so they run on the connection the cancelled append used.
            for (int client = 0; client < 3; client++) {
                HikariDataSource pool = PgBouncerFixture.pool(bouncer, table + "_c" + client, 2, "?prepareThreshold=0");
                pools.add(pool);
                others.add(PostgresEventStore.create(
                        pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap")));
            }
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            for (EventStore other : others.subList(1, others.size())) {
                appends.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 30; i++) {
                        other.append(
                                List.of(Event.of("Tick", Map.of("n", "other"))),
                                null,
                                AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)));
                    }
                }));
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(cancelled.query(Filter.anyOf(FilterItem.types("Tick"))).events())
                    .as("the first event and the other clients' 90; nothing of the cancelled append")
                    .hasSize(91);
        } finally {
            others.forEach(EventStore::close);
            pools.forEach(HikariDataSource::close);
        }
    }

    /** Opens {@code servers} transactions at once through the pooler; @return their backends, then idle */
    private static java.util.Set<Long> openAllServers(EmbeddedPgBouncer bouncer, int servers) throws Exception {
        java.util.Set<Long> backends = new java.util.HashSet<>();
        try (HikariDataSource pool =
                PgBouncerFixture.pool(bouncer, TestDatabase.uniqueName("warm"), servers, "?prepareThreshold=0")) {
            List<Connection> open = new ArrayList<>();
            try {
                for (int i = 0; i < servers; i++) {
                    Connection connection = pool.getConnection();
                    open.add(connection);
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
                        rows.next();
                        backends.add(rows.getLong(1));
                    }
                }
            } finally {
                for (Connection connection : open) {
                    connection.rollback();
                    connection.close();
                }
            }
        }
        return backends;
    }
}
