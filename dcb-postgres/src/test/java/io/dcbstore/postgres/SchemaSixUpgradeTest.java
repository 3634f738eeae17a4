package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.Cancellation;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.testkit.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * Attack on issue 18's schema 6 for existing users: a table of schema 5 (the script of commit
 * 6ae29c9, test resource schema-5.sql) is upgraded in place or refused clearly, and during a
 * rolling upgrade a store of the old code (session-level id lock, its allocation statement copied
 * below) and a store of the new one (transaction-level lock in {@code <events>_allocate}) still
 * exclude each other, so sequence order stays transaction-id order.
 */
class SchemaSixUpgradeTest {
    private static final Filter TICKS = Filter.anyOf(FilterItem.types("Tick"));
    private static final int ID_LOCK_CLASS = IdLockTest.ID_LOCK_CLASS;

    private static String schemaFive(String table) throws IOException {
        try (InputStream in = SchemaSixUpgradeTest.class.getResourceAsStream("schema-5.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${events}", table)
                    .replace("${snapshots}", table + "_snap");
        }
    }

    /** A table as the schema-5 code left it, with three events appended by it. */
    private static String schemaFiveTable() throws Exception {
        String table = TestDatabase.uniqueName("ev5");
        TestDatabase.get().execute(schemaFive(table));
        for (int i = 0; i < 3; i++) {
            oldCodeAppend(table, i);
        }
        return table;
    }

    /**
     * One append as the schema-5 code ran it: the pipeline marker, then Statements.allocateAndInsert
     * of 6ae29c9 (session-level pg_advisory_lock, released by pg_advisory_unlock in a later CTE).
     */
    private static void oldCodeAppend(String table, int n) throws Exception {
        try (Connection connection = TestDatabase.get().unpooled().getConnection()) {
            oldCodeAppend(connection, table, n);
        }
    }

    private static void oldCodeAppend(Connection connection, String table, int n) throws Exception {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT set_config('dcb.pipeline', 'on', true)");
            String sequence = IdLockTest.sequence(statement, table);
            int object = table.hashCode();
            statement.execute("WITH l AS MATERIALIZED (SELECT " + table
                    + "_in_pipeline(current_setting('dcb.pipeline', true)) AS in_pipeline, pg_advisory_lock("
                    + ID_LOCK_CLASS + ", " + object + ") AS locked, pg_current_xact_id() AS transaction_id),"
                    + " a AS MATERIALIZED (SELECT max(nextval('" + sequence + "')) AS last_sequence"
                    + " FROM l CROSS JOIN generate_series(1, 1)),"
                    + " u AS MATERIALIZED (SELECT a.last_sequence, pg_advisory_unlock(" + ID_LOCK_CLASS + ", " + object
                    + ") AS unlocked FROM a)"
                    + " INSERT INTO " + table
                    + " (sequence_number, event_type, payload, metadata, occurred_at) OVERRIDING SYSTEM VALUE"
                    + " SELECT u.last_sequence, 'Tick', '{\"n\": " + n
                    + ", \"by\": \"old\"}'::jsonb, '{}'::jsonb, now() FROM u");
            connection.commit();
        } catch (Exception e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static StoreFixture.ClosingStore newCodeStore(String table, boolean createSchema) {
        HikariDataSource pool = TestDatabase.get().newPool(TestDatabase.uniqueName("pool"), 4);
        try {
            return new StoreFixture.ClosingStore(
                    PostgresEventStore.create(
                            pool,
                            PostgresStoreConfig.defaults()
                                    .withTables(table, table + "_snap")
                                    .withCreateSchema(createSchema)),
                    pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Test
    void aStoreThatMustNotCreateTheSchemaRefusesASchemaFiveTableAndSaysToRunTheScript() throws Exception {
        String table = schemaFiveTable();
        assertThatThrownBy(() -> newCodeStore(table, false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(table)
                .hasMessageContaining("'dcb schema 6'")
                .hasMessageContaining("schema.sql");
    }

    @Test
    void aSchemaFiveTableIsUpgradedInPlaceAndKeepsItsEventsAndItsNumbering() throws Exception {
        String table = schemaFiveTable();
        try (StoreFixture.ClosingStore store = newCodeStore(table, true)) {
            assertThat(store.append(Event.of("Tick", Map.of("n", 3))).lastSequenceNumber())
                    .isEqualTo(4);
            assertThat(store.query(TICKS).events()).hasSize(4);
        }
        try (Connection connection = TestDatabase.get().unpooled().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT obj_description(to_regprocedure('" + table
                        + "_safe_mark(bigint[],bigint[],bigint[])'), 'pg_proc'), to_regprocedure('" + table
                        + "_allocate(text,integer,integer,regclass,integer)') IS NOT NULL")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("dcb schema 6");
            assertThat(rows.getBoolean(2)).isTrue();
        }
    }

    /** An old store's session-level id lock (held, say, by its append in progress) stops a new store's append. */
    @Test
    void anOldStoresSessionLevelIdLockHoldsOffANewStoresAppend() throws Exception {
        String table = schemaFiveTable();
        try (StoreFixture.ClosingStore store = newCodeStore(table, true);
                Connection old = TestDatabase.get().unpooled().getConnection();
                Statement statement = old.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + ID_LOCK_CLASS + ", " + table.hashCode() + ")");
            assertThatThrownBy(() -> store.append(
                            List.of(Event.of("Tick", Map.of("n", "new"))),
                            null,
                            AppendOptions.DEFAULT.withTimeout(Duration.ofMillis(800))))
                    .isInstanceOf(OperationTimeoutException.class);
            statement.execute("SELECT pg_advisory_unlock(" + ID_LOCK_CLASS + ", " + table.hashCode() + ")");
            assertThat(store.append(Event.of("Tick", Map.of("n", "new"))).lastSequenceNumber())
                    .isEqualTo(4);
        }
    }

    /** A new store's append, stopped while it holds the transaction-level id lock, holds off an old store's. */
    @Test
    void aNewStoresTransactionLevelIdLockHoldsOffAnOldStoresSessionLock() throws Exception {
        String table = schemaFiveTable();
        try (StoreFixture.ClosingStore store = newCodeStore(table, true);
                Connection blocker = TestDatabase.get().unpooled().getConnection();
                Connection observer = TestDatabase.get().unpooled().getConnection();
                Connection old = TestDatabase.get().unpooled().getConnection();
                Statement blocking = blocker.createStatement();
                Statement oldStatement = old.createStatement()) {
            blocker.setAutoCommit(false);
            String sequence = IdLockTest.sequence(blocking, table);
            blocking.execute("ALTER SEQUENCE " + sequence + " CACHE 1");
            Cancellation cancellation = Cancellation.create();
            CompletableFuture<?> append = CompletableFuture.runAsync(() -> store.append(
                    List.of(Event.of("Tick", Map.of("n", "new"))),
                    null,
                    AppendOptions.DEFAULT.withCancellation(cancellation)));
            IdLockTest.awaitIdLockHeldByAWaitingAppend(observer, table);
            try (ResultSet rows = oldStatement.executeQuery(
                    "SELECT pg_try_advisory_lock(" + ID_LOCK_CLASS + ", " + table.hashCode() + ")")) {
                rows.next();
                assertThat(rows.getBoolean(1))
                        .as("the old code's session lock on the same key must wait")
                        .isFalse();
            }
            blocker.rollback();
            append.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The upgrade from schema 5 needs only a new function and a comment, but the store runs the
     * whole script again, whose DROP TRIGGER takes an ACCESS EXCLUSIVE lock on the events table.
     * That lock waits behind every open stream (a cursor in a transaction, ACCESS SHARE), and while
     * it waits every append and read of every running store (old instances during a rolling
     * upgrade) queues behind it: the event store stops for as long as the longest stream stays
     * open (the create's timeout is 5 minutes).
     */
    @Test
    void upgradingASchemaFiveTableDoesNotStallTheRunningStoresAppendsBehindAnOpenStream() throws Exception {
        String table = schemaFiveTable();
        try (Connection stream = TestDatabase.get().unpooled().getConnection();
                Connection observer = TestDatabase.get().unpooled().getConnection();
                Connection old = TestDatabase.get().unpooled().getConnection();
                Statement streaming = stream.createStatement()) {
            stream.setAutoCommit(false);
            streaming.setFetchSize(1);
            try (ResultSet rows = streaming.executeQuery("SELECT * FROM " + table + " ORDER BY sequence_number")) {
                rows.next(); // a stream of the running stores, open while the new version starts
                CompletableFuture<Void> upgrade = CompletableFuture.runAsync(
                        () -> newCodeStore(table, true).close());
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    boolean upgradeWaits = false;
                    while (!upgradeWaits && System.nanoTime() < deadline && !upgrade.isDone()) {
                        try (Statement statement = observer.createStatement();
                                ResultSet locks =
                                        statement.executeQuery("SELECT count(*) FROM pg_locks WHERE relation = '"
                                                + table + "'::regclass AND NOT granted")) {
                            locks.next();
                            upgradeWaits = locks.getLong(1) > 0;
                        }
                        Thread.sleep(20);
                    }
                    long started = System.nanoTime();
                    Throwable append = null;
                    try (Statement timeout = old.createStatement()) {
                        timeout.execute("SET statement_timeout = '3s'");
                        oldCodeAppend(old, table, 99);
                    } catch (Exception e) {
                        append = e;
                    }
                    assertThat(append)
                            .as("an append of a running store while the upgrade waits for a stream (waited "
                                    + Duration.ofNanos(System.nanoTime() - started)
                                            .toMillis() + " ms: " + (append == null ? "" : append.getMessage()) + ")")
                            .isNull();
                } finally {
                    stream.rollback();
                    upgrade.get(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * Old and new code appending together during a rolling upgrade: every event's transaction id
     * follows its sequence number (the safe mark's premise), and nothing is lost.
     */
    @Test
    void oldAndNewStoresAppendingTogetherKeepSequenceOrderEqualToTransactionIdOrder() throws Exception {
        String table = schemaFiveTable();
        try (StoreFixture.ClosingStore store = newCodeStore(table, true)) {
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(CompletableFuture.runAsync(() -> {
                    try (Connection connection = TestDatabase.get().unpooled().getConnection()) {
                        for (int i = 0; i < 150; i++) {
                            oldCodeAppend(connection, table, i);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 150; i++) {
                        store.append(Event.of("Tick", Map.of("n", i, "by", "new")));
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            assertThat(store.query(TICKS).events()).hasSize(3 + 600);
            try (Connection connection = TestDatabase.get().unpooled().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM (SELECT transaction_id,"
                            + " lag(transaction_id) OVER (ORDER BY sequence_number) AS previous FROM " + table
                            + ") AS t WHERE transaction_id < previous")) {
                rows.next();
                assertThat(rows.getLong(1))
                        .as("events whose transaction id is below the previous event's")
                        .isZero();
            }
        }
    }
}
