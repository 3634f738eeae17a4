package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.Cancellation;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.ReadOptions;
import io.dcbstore.testkit.TestDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads that end early (cancelled, timed out, closed, or their connection killed) end their
 * statement and transaction on the server and give their connection back: the store runs on a
 * pool of one connection, whose sessions are told apart on the server by its application name.
 */
class ReadLifecycleTest {
    private static final int FETCH_SIZE = 10;

    private final String table = TestDatabase.uniqueName("rl");
    private HikariDataSource pool;
    private LockingOnCursorOpen source;
    private PostgresEventStore store;
    private Connection blocker;

    @BeforeEach
    void openAStoreOnAPoolOfOne() throws SQLException {
        TestDatabase database = TestDatabase.get();
        pool = PostgresPools.newPool(table, database.jdbcUrl(), database.user(), database.password(), 1);
        source = new LockingOnCursorOpen(pool, table);
        store = PostgresEventStore.create(
                source,
                PostgresStoreConfig.defaults()
                        .withTables(table, table + "_snap")
                        .withDefaultTimeout(Duration.ofSeconds(30))
                        .withStreamFetchSize(FETCH_SIZE)
                        .withNotifyInterval(Duration.ZERO));
        blocker = database.unpooled().getConnection();
        blocker.setAutoCommit(false);
    }

    @AfterEach
    void closeEverything() throws SQLException {
        blocker.rollback();
        blocker.close();
        store.close();
        pool.close();
    }

    private static Filter ticks() {
        return Filter.anyOf(FilterItem.types("Tick"));
    }

    private void lockTheEventsTable() {
        try (Statement statement = blocker.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void appendTicks(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(Event.of("Tick", Map.of("n", i)));
        }
        store.append(events, null, AppendOptions.DEFAULT);
    }

    /**
     * While the blocker still holds its lock: no statement of the store's runs on the server, no
     * transaction is open there, and the pool has its connection back.
     */
    private void assertTheStatementIsGoneAndTheConnectionIsBack() {
        assertThat(ServerSessions.of(table))
                .as("the store's sessions on the server, while the lock is still held")
                .isNotEmpty()
                .allSatisfy(session -> {
                    assertThat(session.state()).isEqualTo("idle");
                    assertThat(session.holdsSnapshot()).isFalse();
                });
        assertThat(pool.getHikariPoolMXBean().getActiveConnections())
                .as("connections still borrowed from the pool")
                .isZero();
    }

    /** The pool has one connection: the store can still read only if it came back healthy. */
    private void assertThePoolOfOneStillServesAQuery() throws SQLException {
        blocker.rollback();
        assertThat(store.query(ticks()).events()).hasSize(3);
    }

    @Test
    void aCancelledQueryFailsAsCancelledEndsItsStatementOnTheServerAndGivesItsConnectionBack() throws Exception {
        appendTicks(3);
        Cancellation cancellation = Cancellation.create();
        lockTheEventsTable();
        CompletableFuture<?> query = CompletableFuture.supplyAsync(
                () -> store.query(ticks(), ReadOptions.STRONG.withCancellation(cancellation)));
        ServerSessions.awaitLockWait(table);
        cancellation.cancel();

        assertThatThrownBy(() -> query.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(OperationCancelledException.class)
                .rootCause()
                .hasMessageStartingWith("ERROR: canceling statement due to user request");
        assertTheStatementIsGoneAndTheConnectionIsBack();
        assertThePoolOfOneStillServesAQuery();
    }

    @Test
    void aQueryThatTimesOutEndsItsStatementOnTheServerAndGivesItsConnectionBack() throws Exception {
        appendTicks(3);
        lockTheEventsTable();

        assertThatThrownBy(() -> store.query(ticks(), ReadOptions.STRONG.withTimeout(Duration.ofMillis(300))))
                .isInstanceOf(OperationTimeoutException.class);
        assertTheStatementIsGoneAndTheConnectionIsBack();
        assertThePoolOfOneStillServesAQuery();
    }

    @Test
    void aStreamCancelledWhileOpeningItsCursorFailsAsCancelledAndGivesItsConnectionBack() throws Exception {
        appendTicks(3);
        Cancellation cancellation = Cancellation.create();
        source.lockOnCursorOpen(blocker);
        CompletableFuture<EventStream> stream = CompletableFuture.supplyAsync(
                () -> store.stream(ticks(), ReadOptions.STRONG.withCancellation(cancellation)));
        ServerSessions.awaitLockWait(table);
        assertThat(source.locked())
                .as("held up after the catch-up, on the cursor's connection")
                .isTrue();
        cancellation.cancel();

        assertThatThrownBy(() -> stream.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(OperationCancelledException.class)
                .rootCause()
                .hasMessageStartingWith("ERROR: canceling statement due to user request");
        assertTheStatementIsGoneAndTheConnectionIsBack();
        assertThePoolOfOneStillServesAQuery();
    }

    @Test
    void aStreamThatTimesOutWhileOpeningItsCursorFailsWithATimeoutAndGivesItsConnectionBack() throws Exception {
        appendTicks(3);
        source.lockOnCursorOpen(blocker);

        assertThatThrownBy(() -> store.stream(ticks(), ReadOptions.STRONG.withTimeout(Duration.ofMillis(500))))
                .isInstanceOf(OperationTimeoutException.class);
        assertThat(source.locked())
                .as("held up after the catch-up, on the cursor's connection")
                .isTrue();
        assertTheStatementIsGoneAndTheConnectionIsBack();
        assertThePoolOfOneStillServesAQuery();
    }

    @Test
    void aStreamClosedAfterAFewOfManyEventsEndsItsTransactionAndGivesItsConnectionBack() {
        appendTicks(10 * FETCH_SIZE);
        try (EventStream stream = store.stream(ticks(), ReadOptions.STRONG)) {
            for (int i = 0; i < 3; i++) {
                stream.next();
            }
            assertThat(ServerSessions.of(table))
                    .as("premise: the open stream holds a transaction with a snapshot")
                    .anySatisfy(session -> {
                        assertThat(session.state()).isEqualTo("idle in transaction");
                        assertThat(session.holdsSnapshot()).isTrue();
                    });
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isOne();
        }

        assertTheStatementIsGoneAndTheConnectionIsBack();
        assertThat(store.query(ticks()).events()).hasSize(10 * FETCH_SIZE);
    }

    @Test
    void aStreamWhoseConnectionIsKilledMidwayFailsWithADatabaseErrorAndGivesItsConnectionBack() {
        appendTicks(10 * FETCH_SIZE);
        int read = 0;
        try (EventStream stream = store.stream(ticks(), ReadOptions.STRONG)) {
            stream.next();
            read++;
            ServerSessions.Session cursor = ServerSessions.of(table).stream()
                    .filter(session -> session.state().equals("idle in transaction"))
                    .findFirst()
                    .orElseThrow();
            ServerSessions.terminate(cursor.pid());

            List<Long> after = new ArrayList<>();
            assertThatThrownBy(() -> {
                        while (stream.hasNext()) {
                            after.add(stream.next().sequenceNumber());
                        }
                    })
                    .isInstanceOf(DatabaseException.class);
            read += after.size();
            assertThat(read).as("the first page only").isEqualTo(FETCH_SIZE);
            assertThat(stream.hasNext()).as("a failed stream is over").isFalse();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections())
                    .as("given back when it failed, before its close")
                    .isZero();
        }

        // The pool evicts the killed connection and opens its replacement on its own thread.
        ServerSessions.await(
                () -> !ServerSessions.of(table).isEmpty(), () -> "the pool's replacement connection on the server");
        ServerSessions.awaitAllIdle(table);
        assertTheStatementIsGoneAndTheConnectionIsBack();
        assertThat(store.query(ticks()).events()).hasSize(10 * FETCH_SIZE);
    }

    /**
     * The store's data source, which can take a lock on the events table on the blocker's
     * connection just before the store borrows the connection it opens a stream's cursor on
     * (after the stream's catch-up read, which borrows one of its own): a test seam, the
     * statements still run on the real server.
     */
    private static final class LockingOnCursorOpen implements DataSource {
        private final HikariDataSource pool;
        private final String table;
        private volatile Connection lockingOn;
        private final AtomicBoolean locked = new AtomicBoolean();

        LockingOnCursorOpen(HikariDataSource pool, String table) {
            this.pool = pool;
            this.table = table;
        }

        void lockOnCursorOpen(Connection blocker) {
            lockingOn = blocker;
        }

        boolean locked() {
            return locked.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection blocker = lockingOn;
            if (blocker != null && openingACursor()) {
                lockingOn = null;
                try (Statement statement = blocker.createStatement()) {
                    statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
                }
                locked.set(true);
            }
            return pool.getConnection();
        }

        private static boolean openingACursor() {
            return StackWalker.getInstance()
                    .walk(frames ->
                            frames.anyMatch(frame -> frame.getMethodName().equals("open")
                                    && frame.getClassName().endsWith(".DatabaseCall")));
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLException("not supported");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // Not used.
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // Not used.
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return pool.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return pool.isWrapperFor(type);
        }
    }
}
