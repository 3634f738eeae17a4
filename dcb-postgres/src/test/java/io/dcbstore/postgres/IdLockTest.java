package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendOptions;
import io.dcbstore.Cancellation;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The id lock (schema 6) never outlives the transaction that took it: it is released when the id
 * allocation returns, before the insert and the commit, and with the transaction when a statement
 * is cancelled while holding it. So no server connection is left holding it for another client,
 * which a pooler in transaction mode would otherwise hand on ({@code PgBouncerTransactionModeIT}).
 */
class IdLockTest {
    /** The id lock's class (Statements.ID_LOCK_CLASS). */
    static final int ID_LOCK_CLASS = 0x0DCB;

    private EventStore store;
    private String table;

    @BeforeEach
    void createStore() {
        store = StoreFixture.newStore(2, PostgresStoreConfig.defaults());
        table = ((StoreFixture.ClosingStore) store).pool().getPoolName();
        store.append(Event.of("Tick", Map.of("n", 0))); // sequence number 1
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void theIdAllocationReleasesTheIdLockBeforeItsTransactionEnds() throws Exception {
        try (Connection appender = TestDatabase.get().unpooled().getConnection();
                Connection other = TestDatabase.get().unpooled().getConnection();
                Statement statement = appender.createStatement()) {
            appender.setAutoCommit(false);
            statement.execute("SELECT set_config('dcb.pipeline', 'on', true)");
            long last;
            try (ResultSet rows = statement.executeQuery(
                    "SELECT " + table + "_allocate('on', " + ID_LOCK_CLASS + ", " + table.hashCode()
                            + ", pg_get_serial_sequence('" + table + "', 'sequence_number')::regclass, 3)")) {
                rows.next();
                last = rows.getLong(1);
            }
            assertThat(last).as("three numbers after the first event's").isEqualTo(4);
            assertThat(idLocksHeld(other))
                    .as("the lock is gone while the transaction is still open")
                    .isZero();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT pg_current_xact_id_if_assigned() IS NOT NULL, pg_current_xact_id()::text::bigint")) {
                rows.next();
                assertThat(rows.getBoolean(1))
                        .as("the transaction id was taken under the lock, and the block's rollback kept it")
                        .isTrue();
            }
            try (Statement second = other.createStatement();
                    ResultSet rows = second.executeQuery(
                            "SELECT pg_try_advisory_xact_lock(" + ID_LOCK_CLASS + ", " + table.hashCode() + ")")) {
                rows.next();
                assertThat(rows.getBoolean(1))
                        .as("another session can take it at once")
                        .isTrue();
            }
            appender.rollback();
        }
    }

    @Test
    void theIdAllocationRefusesToRunOutsideAnOperationsPipeline() throws Exception {
        try (Connection connection = TestDatabase.get().unpooled().getConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT " + table + "_allocate(NULL, " + ID_LOCK_CLASS
                            + ", " + table.hashCode() + ", pg_get_serial_sequence('" + table
                            + "', 'sequence_number')::regclass, 1)"))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("DCB03"));
        }
    }

    @Test
    void anAppendCancelledWhileItHoldsTheIdLockLeavesNoLockBehind() throws Exception {
        Cancellation cancellation = Cancellation.create();
        try (Connection blocker = TestDatabase.get().unpooled().getConnection();
                Connection observer = TestDatabase.get().unpooled().getConnection();
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // nextval waits for this lock on the sequence: the append stops while holding the id lock.
            statement.execute("ALTER SEQUENCE " + sequence(statement, table) + " CACHE 1");
            CompletableFuture<?> append = CompletableFuture.runAsync(() -> store.append(
                    List.of(Event.of("Tick", Map.of("n", 1))),
                    null,
                    AppendOptions.DEFAULT.withCancellation(cancellation)));
            awaitIdLockHeldByAWaitingAppend(observer);
            cancellation.cancel();
            assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(OperationCancelledException.class);
            assertThat(idLocksHeld(observer))
                    .as("released with the cancelled transaction, while the blocker still holds the sequence")
                    .isZero();
            blocker.rollback();
        }
        store.append(
                List.of(Event.of("Tick", Map.of("n", 2))),
                null,
                AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)));
        assertThat(store.query(Filter.anyOf(FilterItem.types("Tick"))).events()).hasSize(2);
    }

    /** @return the name of the table's sequence of sequence numbers */
    static String sequence(Statement statement, String table) throws SQLException {
        try (ResultSet rows =
                statement.executeQuery("SELECT pg_get_serial_sequence('" + table + "', 'sequence_number')")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** Waits until a backend holds the id lock and waits for another lock: the append, stopped in nextval. */
    static void awaitIdLockHeldByAWaitingAppend(Connection observer, String table) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Statement statement = observer.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_locks held"
                            + " JOIN pg_locks waiting ON waiting.pid = held.pid AND NOT waiting.granted"
                            + " WHERE held.locktype = 'advisory' AND held.granted AND held.classid = " + ID_LOCK_CLASS
                            + " AND held.objid = " + (table.hashCode() & 0xffffffffL) + " AND held.objsubid = 2")) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no append held the id lock while waiting within 10 s");
    }

    private void awaitIdLockHeldByAWaitingAppend(Connection observer) throws Exception {
        awaitIdLockHeldByAWaitingAppend(observer, table);
    }

    /** @return how many backends hold the id lock of the table */
    static long idLocksHeld(Connection observer, String table) throws SQLException {
        try (Statement statement = observer.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND granted AND classid = " + ID_LOCK_CLASS + " AND objid = "
                        + (table.hashCode() & 0xffffffffL)
                        + " AND objsubid = 2")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long idLocksHeld(Connection observer) throws SQLException {
        return idLocksHeld(observer, table);
    }
}
