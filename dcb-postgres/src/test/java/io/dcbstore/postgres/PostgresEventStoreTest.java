package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Cancellation;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.StoredEvent;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Behaviour specific to the PostgreSQL engine: timeouts, cancellation, the safe high-water mark, the schema. */
class PostgresEventStoreTest {
    private StoreFixture.ClosingStore store;
    private String table;

    @BeforeEach
    void openStore() {
        store = (StoreFixture.ClosingStore)
                StoreFixture.newStore(3, PostgresStoreConfig.defaults().withDefaultTimeout(Duration.ofSeconds(5)));
        table = store.pool().getPoolName();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Filter ticks() {
        return Filter.anyOf(FilterItem.types("Tick"));
    }

    private Connection rawConnection() throws SQLException {
        return TestDatabase.get().unpooled().getConnection();
    }

    @Test
    void anAppendBlockedLongerThanItsTimeoutFailsWithATimeoutLeavesNoIdLockAndTheConnectionStaysHealthy()
            throws Exception {
        try (Connection blocker = rawConnection();
                Connection observer = rawConnection();
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // nextval waits for this lock on the sequence: the append stops while it holds the id lock.
            statement.execute("ALTER SEQUENCE " + IdLockTest.sequence(statement, table) + " CACHE 1");
            long started = System.nanoTime();
            CompletableFuture<AppendResult> append = CompletableFuture.supplyAsync(() -> store.append(
                    List.of(Event.of("Tick", Map.of("n", 1))),
                    null,
                    AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(1))));
            IdLockTest.awaitIdLockHeldByAWaitingAppend(observer, table);
            assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(OperationTimeoutException.class, timeout -> {
                        assertThat(timeout.isRetryable()).isTrue();
                        assertThat(timeout.timeout()).isEqualTo(Duration.ofSeconds(1));
                        assertThat(timeout)
                                .as("enforced by the server, not by a cancel connection from the driver")
                                .rootCause()
                                .hasMessageStartingWith("ERROR: canceling statement due to statement timeout");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            assertThat(IdLockTest.idLocksHeld(observer, table))
                    .as("seen from another session while the blocker still holds the sequence: no id lock left")
                    .isZero();
            blocker.rollback();
        }
        for (int i = 0; i < 5; i++) {
            store.append(Event.of("Tick", Map.of("n", i)));
        }
        assertThat(store.query(ticks()).events()).hasSize(5);
        // The notifier borrows a connection after appends, on its own thread: wait for it; a leaked one never returns.
        ServerSessions.await(
                () -> store.pool().getHikariPoolMXBean().getActiveConnections() == 0,
                () -> "every connection back in the pool",
                Duration.ofSeconds(5));
        assertThat(store.pool().getHikariPoolMXBean().getActiveConnections())
                .as("connections still checked out")
                .isZero();
    }

    @Test
    void aQueryBlockedLongerThanItsTimeoutFailsWithATimeoutEnforcedByTheServer() throws Exception {
        try (Connection blocker = rawConnection();
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            assertThatThrownBy(() -> store.query(ticks(), ReadOptions.STRONG.withTimeout(Duration.ofMillis(200))))
                    .isInstanceOf(OperationTimeoutException.class)
                    .as("enforced by the server, not by a cancel connection from the driver")
                    .rootCause()
                    .hasMessageStartingWith("ERROR: canceling statement due to statement timeout");
            blocker.rollback();
        }
        assertThat(store.query(ticks()).events()).isEmpty();
    }

    @Test
    void aSnapshotSaveWaitsUpToTheSnapshotTimeoutNotTheShorterDefaultTimeout() throws Exception {
        try (StoreFixture.ClosingStore quick = (StoreFixture.ClosingStore) StoreFixture.newStore(
                2,
                PostgresStoreConfig.defaults()
                        .withDefaultTimeout(Duration.ofMillis(200))
                        .withSnapshotTimeout(Duration.ofSeconds(10)))) {
            try (Connection blocker = rawConnection();
                    Statement statement = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                statement.execute("LOCK TABLE " + quick.pool().getPoolName() + "_snap IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<Boolean> save = CompletableFuture.supplyAsync(
                        () -> quick.saveSnapshot(Snapshot.of("ticks.v1", ticks(), 0, "{}")));
                awaitLockWaitOnTheServer(
                        quick.pool().getPoolName() + "_snap", Duration.ofMillis(600)); // three default timeouts
                assertThat(save).as("still waiting for the lock").isNotDone();
                blocker.rollback();
                assertThat(save.get(5, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(quick.loadSnapshot("ticks.v1", ticks().hash())).isPresent();
        }
        assertThatThrownBy(() -> PostgresStoreConfig.defaults().withSnapshotTimeout(Duration.ZERO))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems()).containsExactly("snapshotTimeout must be positive, got PT0S"));
    }

    @Test
    void aCancelledAppendFailsAsCancelledAndWritesNothing() throws Exception {
        Cancellation cancellation = Cancellation.create();
        try (Connection blocker = rawConnection();
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<AppendResult> append = CompletableFuture.supplyAsync(() -> store.append(
                    List.of(Event.of("Tick", Map.of("n", 1))),
                    null,
                    AppendOptions.DEFAULT.withCancellation(cancellation)));
            awaitLockWaitOnTheServer(table, Duration.ZERO);
            cancellation.cancel();
            assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(OperationCancelledException.class)
                    .as("cancelled on the server while it waited there")
                    .rootCause()
                    .hasMessageStartingWith("ERROR: canceling statement due to user request");
            blocker.rollback();
        }
        assertThat(store.query(ticks()).events()).isEmpty();
        assertThatThrownBy(() -> store.append(
                        List.of(Event.of("Tick", Map.of("n", 2))),
                        null,
                        AppendOptions.DEFAULT.withCancellation(cancellation)))
                .isInstanceOf(OperationCancelledException.class);
    }

    @Test
    void aReadDoesNotReturnEventsAboveAnEventThatIsStillBeingWritten() throws Exception {
        store.append(Event.of("Tick", Map.of("n", 0)));
        AppendResult fast;
        try (Connection slowWriter = rawConnection();
                Statement statement = slowWriter.createStatement()) {
            slowWriter.setAutoCommit(false);
            // What a slow append does: it takes a lower sequence number, then commits late.
            statement.execute("SELECT pg_advisory_lock(" + 0x0DCB + ", " + table.hashCode() + ")");
            statement.execute("INSERT INTO " + table
                    + " (event_type, payload, occurred_at) VALUES ('Tick', '{\"n\": \"slow\"}', now())");
            statement.execute("SELECT pg_advisory_unlock(" + 0x0DCB + ", " + table.hashCode() + ")");
            fast = store.append(Event.of("Tick", Map.of("n", "fast")));

            QueryResult during = store.query(ticks());
            assertThat(during.events())
                    .extracting(StoredEvent::sequenceNumber)
                    .doesNotContain(fast.lastSequenceNumber());
            assertThat(during.events()).hasSize(1);

            slowWriter.commit();
        }
        QueryResult after = store.query(ticks());
        assertThat(after.events()).hasSize(3);
        assertThat(after.maxSequenceNumber()).isEqualTo(fast.lastSequenceNumber());
    }

    @Test
    void theEventLogRefusesUpdatesAndDeletesFromAnyone() throws Exception {
        store.append(Event.of("Tick", Map.of("n", 1)));
        try (Connection connection = rawConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("UPDATE " + table + " SET event_type = 'Changed'"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("DCB02");
            assertThatThrownBy(() -> statement.execute("DELETE FROM " + table))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("DCB02");
        }
        assertThat(store.query(ticks()).events()).hasSize(1);
    }

    @Test
    void creatingTheSchemaTwiceIsHarmless() {
        PostgresEventStore again = PostgresEventStore.create(
                store.pool(), PostgresStoreConfig.defaults().withTables(table, table + "_snap"));
        again.append(Event.of("Tick", Map.of("n", 1)));
        assertThat(store.query(ticks()).events()).hasSize(1);
    }

    @Test
    void tableNamesThatAreNotPlainIdentifiersAreRejectedWithEveryProblem() {
        assertThatThrownBy(() -> PostgresStoreConfig.defaults().withTables("events; DROP TABLE x", "Snap\"shots"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "eventsTable must match [a-z_][a-z0-9_]{0,39}, got 'events; DROP TABLE x'",
                                        "snapshotsTable must match [a-z_][a-z0-9_]{0,39}, got 'Snap\"shots'"));
        assertThatThrownBy(() -> PostgresStoreConfig.defaults().withTables("same", "same"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems()).containsExactly("eventsTable and snapshotsTable must differ"));
        assertThatThrownBy(() -> PostgresStoreConfig.defaults().withMaxPayloadBytes(0))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems())
                                .containsExactly("maxPayloadBytes must be between 2 and 268435456, got 0"));
        assertThatThrownBy(() -> PostgresStoreConfig.defaults().withDefaultTimeout(Duration.ZERO))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems()).containsExactly("defaultTimeout must be positive, got PT0S"));
    }

    @Test
    void aSmallerPayloadLimitIsEnforcedBeforeAnySql() {
        EventStore small =
                StoreFixture.newStore(1, PostgresStoreConfig.defaults().withMaxPayloadBytes(64));
        try (small) {
            assertThatThrownBy(() -> small.append(Event.of("Tick", Map.of("text", "x".repeat(100)))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("larger than the limit of 64 bytes");
            assertThat(small.query(ticks()).events()).isEmpty();
        }
    }

    @Test
    void anUnreachableDatabaseFailsFastWithARetryableDatabaseError() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> PostgresEventStore.connectTo("jdbc:postgresql://127.0.0.1:1/none")
                        .credentials("u", "p")
                        .connect())
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.sqlState()).startsWith("08");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("a refused connection is reported at once, not after the pool's connection timeout")
                .isLessThan(Duration.ofSeconds(10));
        PGSimpleDataSource unreachable = new PGSimpleDataSource();
        unreachable.setUrl("jdbc:postgresql://127.0.0.1:1/none");
        unreachable.setConnectTimeout(2);
        started = System.nanoTime();
        assertThatThrownBy(() -> PostgresEventStore.create(unreachable, PostgresStoreConfig.defaults()))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.sqlState()).startsWith("08");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("a refused connection is reported at once, not after retries")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAllOfFilterWithTheSameKeyTwiceMatchesNothingInsteadOfFailing() {
        store.append(Event.of("Tick", Map.of("k", "a")));
        Filter impossible = Filter.anyOf(
                FilterItem.types("Tick").allOf(PayloadPredicate.eq("k", "a"), PayloadPredicate.eq("k", "b")));
        assertThat(store.query(impossible).events()).isEmpty();
    }

    @Test
    void anEventualStreamWithoutReplicasReadsFromThePrimary() {
        store.append(Event.of("Tick", Map.of("n", 1)));
        try (EventStream stream = store.stream(ticks(), ReadOptions.EVENTUAL)) {
            assertThat(stream.hasNext()).isTrue();
            assertThat(stream.next().type()).isEqualTo("Tick");
        }
    }

    @Test
    void aStreamWithACommitTokenSeesThatAppend() {
        AppendResult written = store.append(Event.of("Tick", Map.of("n", "token")));
        try (EventStream stream = store.stream(ticks(), ReadOptions.STRONG.withAtLeast(written.commitToken()))) {
            List<Long> seen = new ArrayList<>();
            stream.forEachRemaining(event -> seen.add(event.sequenceNumber()));
            assertThat(seen).contains(written.lastSequenceNumber());
        }
    }

    @Test
    void anAppendOfThousandsOfDistinctEventsStaysWithinTheLockTable() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            events.add(Event.of("Tick", Map.of("Id", "id-" + i, "Other", "o-" + i, "More", i)));
        }
        AppendResult result = store.append(events, null, AppendOptions.DEFAULT);
        assertThat(result.lastSequenceNumber() - result.firstSequenceNumber()).isEqualTo(2999);
        assertThat(store.query(ticks()).events()).hasSize(3000);
    }

    /**
     * Waits until the server shows another backend waiting for a lock, in a statement that names the
     * table, for at least the given time (measured by the server): the operation reached the server
     * and is blocked there, not still on its way.
     */
    private static void awaitLockWaitOnTheServer(String table, Duration atLeast) throws Exception {
        try (Connection observer = TestDatabase.get().unpooled().getConnection();
                PreparedStatement waiting = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE pid <> pg_backend_pid() AND state = 'active' AND wait_event_type = 'Lock'"
                        + " AND position(? IN query) > 0"
                        + " AND clock_timestamp() - state_change >= ? * interval '1 millisecond'")) {
            waiting.setString(1, table);
            waiting.setLong(2, atLeast.toMillis());
            ServerSessions.await(
                    () -> {
                        try (ResultSet rows = waiting.executeQuery()) {
                            rows.next();
                            return rows.getLong(1) > 0;
                        } catch (SQLException e) {
                            throw new IllegalStateException("reading pg_stat_activity failed", e);
                        }
                    },
                    () -> "a statement on " + table + " waiting for a lock for " + atLeast);
        }
    }
}
