package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Event;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.InvalidInputException;
import io.dcbstore.JsonLimits;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.internal.Json;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Ways users configure PostgreSQL and pgjdbc that once broke the append guarantee or stalled the
 * store: another default isolation after start, another database encoding, a transaction of
 * another application held open, and driver options that change the protocol.
 */
class AppendGuaranteeTest {
    private String table;
    private HikariDataSource pool;
    private PostgresEventStore store;

    @BeforeEach
    void openStore() {
        table = TestDatabase.uniqueName("guard");
        pool = TestDatabase.get().newPool(table, 2);
        store = PostgresEventStore.create(pool, config());
    }

    @AfterEach
    void closeStore() {
        store.close();
        pool.close();
    }

    private PostgresStoreConfig config() {
        return PostgresStoreConfig.defaults()
                .withTables(table, table + "_snap")
                .withDefaultTimeout(Duration.ofSeconds(10));
    }

    private static Filter copy(String id) {
        return Filter.anyOf(FilterItem.types("CopyLent").allOf(PayloadPredicate.eq("Copy", id)));
    }

    private static Event lent(String id) {
        return Event.of("CopyLent", Map.of("Copy", id));
    }

    private static Connection raw() throws SQLException {
        return TestDatabase.get().unpooled().getConnection();
    }

    @Test
    void anAppendRunsAtReadCommittedEvenWhenTheSessionDefaultBecameRepeatableReadAfterStart() throws Exception {
        store.append(lent("c1"));
        QueryResult seen = store.query(copy("c1"));
        // An application sharing the pool changes the session default on both of its connections.
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Connection connection = pool.getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            held.add(connection);
        }
        for (Connection connection : held) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SHOW default_transaction_isolation")) {
                rows.next();
                assertThat(rows.getString(1))
                        .as("the precondition: the pool's sessions default to repeatable read")
                        .isEqualTo("repeatable read");
            }
            connection.close();
        }
        try (Connection other = raw();
                Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            // Another append of the same boundary, forced to hold its locks until we let it commit.
            Event competing = lent("c1");
            LockKeys.Plan locks = new LockKeys(table)
                    .plan(null, ParsedEvent.parseAll(List.of(competing), 1 << 20, JsonLimits.POSTGRESQL));
            for (int i = 0; i < locks.keys().length; i++) {
                statement.execute("SELECT pg_advisory_xact_lock_shared(" + locks.keys()[i] + ")");
            }
            statement.execute("INSERT INTO " + table
                    + " (event_type, payload, occurred_at) VALUES ('CopyLent', '{\"Copy\": \"c1\"}', now())");

            CompletableFuture<AppendResult> ours =
                    CompletableFuture.supplyAsync(() -> store.append(copy("c1"), seen.maxSequenceNumber(), lent("c1")));
            awaitAdvisoryLockWait();
            other.commit();

            assertThat(ours)
                    .failsWithin(10, TimeUnit.SECONDS)
                    .withThrowableThat()
                    .havingRootCause()
                    .isInstanceOf(AppendConditionFailedException.class);
        }
        assertThat(store.query(copy("c1")).events()).hasSize(2);
    }

    /** Waits until a backend of this database waits for an advisory lock. */
    private static void awaitAdvisoryLockWait() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection monitor = raw();
                Statement statement = monitor.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("no append waited for its advisory locks within 10 s");
    }

    @Test
    void aDatabaseWhoseEncodingIsNotUtf8IsRefusedAtStartWithATypedError() throws Exception {
        String database = TestDatabase.uniqueName("eucjp");
        TestDatabase.get()
                .execute("CREATE DATABASE " + database
                        + " ENCODING 'EUC_JP' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        try {
            PGSimpleDataSource eucJp = new PGSimpleDataSource();
            eucJp.setUrl(TestDatabase.get().jdbcUrl());
            eucJp.setDatabaseName(database);
            eucJp.setUser(TestDatabase.get().user());
            eucJp.setPassword(TestDatabase.get().password());
            assertThatThrownBy(() -> PostgresEventStore.create(eucJp, config()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("EUC_JP")
                    .hasMessageContaining("UTF8");
            try (Connection connection = eucJp.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT to_regclass('" + table + "') IS NULL")) {
                rows.next();
                assertThat(rows.getBoolean(1))
                        .as("nothing was created in that database")
                        .isTrue();
            }
        } finally {
            TestDatabase.get().execute("DROP DATABASE " + database);
        }
    }

    @Test
    void anUnrelatedOpenTransactionNeitherHoldsReadersBackNorMakesCommandsFail() throws Exception {
        whileAnUnrelatedTransactionIsOpen(() -> {
            long followerPosition =
                    store.query(Filter.anyOf(FilterItem.types("CopyLent"))).maxSequenceNumber();
            int retries = 0;
            for (int i = 0; i < 20; i++) {
                String id = "free-" + i;
                for (int command = 0; command < 2; command++) {
                    retries += lendWithRetries(id);
                }
            }
            assertThat(retries)
                    .as("retries of 40 commands on 20 boundaries while the batch job is open")
                    .isZero();
            List<StoredEvent> followed = store.query(
                            Filter.anyOf(FilterItem.types("CopyLent")).sequenceNumberAfter(followerPosition))
                    .events();
            assertThat(followed)
                    .as("a follower reading by position keeps advancing")
                    .hasSize(40);
        });
    }

    /** A command: read the copy's boundary, decide, append; on a conflict read again (5 attempts). @return the retries */
    private int lendWithRetries(String id) {
        return lend(id, 5, 0);
    }

    /** Like {@link #lendWithRetries}, with a short pause between attempts, as a command executor does. */
    private int lendWithPatientRetries(String id) {
        return lend(id, 100, 2);
    }

    private int lend(String id, int attempts, long pauseMillis) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            QueryResult seen = store.query(copy(id));
            try {
                store.append(copy(id), seen.maxSequenceNumber(), lent(id));
                return attempt;
            } catch (AppendConditionFailedException conflict) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("the command on " + id + " failed " + attempts + " times in a row");
    }

    @Test
    void aLargeAppendOverASlowLinkDoesNotHoldBackReadersOrCommandsWhileItsEventsAreStillArriving() throws Exception {
        Properties url = Driver.parseURL(TestDatabase.get().jdbcUrl(), null);
        String payloadText = "x".repeat(900 * 1024);
        try (LinkProxy slowLink =
                new LinkProxy(url.getProperty("PGHOST"), Integer.parseInt(url.getProperty("PGPORT")), 256 * 1024)) {
            HikariConfig slowConfig = new HikariConfig();
            slowConfig.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + slowLink.port() + "/" + url.getProperty("PGDBNAME"));
            slowConfig.setUsername(TestDatabase.get().user());
            slowConfig.setPassword(TestDatabase.get().password());
            slowConfig.setMaximumPoolSize(1);
            try (HikariDataSource slowPool = new HikariDataSource(slowConfig);
                    PostgresEventStore slowClient =
                            PostgresEventStore.create(slowPool, config().withDefaultTimeout(Duration.ofSeconds(30)))) {
                long started = System.nanoTime();
                CompletableFuture<AppendResult> large = CompletableFuture.supplyAsync(
                        () -> slowClient.append(Event.of("CopyScanned", Map.of("Copy", "big", "Scan", payloadText))));
                int commands = 0;
                int retried = 0;
                while (!large.isDone()) {
                    String id = "during-" + commands;
                    for (int command = 0; command < 2; command++) {
                        retried += lendWithPatientRetries(id) > 0 ? 1 : 0;
                        commands++;
                    }
                }
                AppendResult written = large.get();
                double seconds = (System.nanoTime() - started) / 1e9;
                assertThat(seconds)
                        .as("the large append took long enough to matter")
                        .isGreaterThan(2.0);
                assertThat(commands)
                        .as("commands while the large append was on its way")
                        .isGreaterThanOrEqualTo(100);
                // Only while the server executes the large append (its insert, after every byte
                // arrived) may a command see its boundary's newest event above the mark and retry;
                // before the fix every command of the seconds-long transfer failed.
                assertThat(retried)
                        .as("commands that needed a retry, of " + commands)
                        .isLessThanOrEqualTo(Math.max(5, commands / 100));
                assertThat(written.lastSequenceNumber())
                        .as("it took its number only when its events had arrived")
                        .isGreaterThan(store.query(copy("during-0")).maxSequenceNumber());
            }
        }
    }

    @Test
    void withAnUnrelatedTransactionOpenAFollowerStillDoesNotSkipAnEventThatCommitsLate() throws Exception {
        whileAnUnrelatedTransactionIsOpen(() -> {
            try (Connection slowWriter = raw()) {
                AppendResult first = store.append(lent("a"));
                takeASequenceNumberLikeASlowAppend(slowWriter, "slow");
                AppendResult fast = store.append(lent("b"));

                Filter all = Filter.anyOf(FilterItem.types("CopyLent")).sequenceNumberAfter(first.lastSequenceNumber());
                assertThat(store.query(all).events())
                        .as("nothing past the event still being written")
                        .isEmpty();
                assertThat(store.query(all).maxSequenceNumber())
                        .as("an empty read after P reports P")
                        .isEqualTo(first.lastSequenceNumber());

                slowWriter.commit();
                assertThat(store.query(all).events())
                        .extracting(StoredEvent::sequenceNumber)
                        .containsExactly(first.lastSequenceNumber() + 1, fast.lastSequenceNumber());
            }
        });
    }

    @Test
    void aThreadReadsItsOwnAppendEvenWhileAnEarlierAppendOfAnotherClientIsStillInFlight() throws Exception {
        try (Connection slowWriter = raw()) {
            takeASequenceNumberLikeASlowAppend(slowWriter, "slow");
            AppendResult own = store.append(lent("own"));
            CompletableFuture<Void> commitLater = CompletableFuture.runAsync(
                    () -> {
                        try {
                            slowWriter.commit();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
            // Before the fix this read stopped at the safe mark below the slow append, so it
            // missed the thread's own event, and a command deciding on it failed on that event.
            QueryResult read = store.query(copy("own"));
            assertThat(read.events()).extracting(StoredEvent::sequenceNumber).containsExactly(own.lastSequenceNumber());
            assertThat(read.maxSequenceNumber()).isEqualTo(own.lastSequenceNumber());
            commitLater.get(5, TimeUnit.SECONDS);
            assertThat(store.query(copy("slow")).events()).hasSize(1);
        }
    }

    @Test
    void anEarlierAppendThatStallsDelaysAReadOfTheStoresOwnAppendOnlyForTheReadYourWritesWait() throws Exception {
        try (Connection stalled = raw()) {
            takeASequenceNumberLikeASlowAppend(stalled, "stalled");
            AppendResult own = store.append(lent("own"));
            long started = System.nanoTime();
            QueryResult read = store.query(copy("own"));
            double waitedMillis = (System.nanoTime() - started) / 1e6;
            assertThat(read.events())
                    .as("nothing past the stalled append's hole")
                    .isEmpty();
            assertThat(waitedMillis)
                    .as("it waited for the stalled append, but not for the read's whole timeout")
                    .isGreaterThanOrEqualTo(config().readYourWritesWait().toMillis())
                    .isLessThan(config().defaultTimeout().toMillis());
            stalled.rollback();
            assertThat(store.query(copy("own")).events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(own.lastSequenceNumber());
        }
    }

    @Test
    void aReadOfABoundaryTheThreadsOwnAppendDoesNotMatchDoesNotWaitForIt() throws Exception {
        Duration patient = Duration.ofSeconds(5);
        try (Connection stalled = raw();
                PostgresEventStore waiting = PostgresEventStore.create(
                        pool, config().withReplicaRouting(Duration.ofSeconds(2), patient, Duration.ofMillis(250)))) {
            store.append(lent("other"));
            takeASequenceNumberLikeASlowAppend(stalled, "stalled");
            waiting.append(lent("own"));

            long started = System.nanoTime();
            QueryResult other = waiting.query(copy("other"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(other.events()).hasSize(1);
            assertThat(took)
                    .as("no wait for an own append the read's filter does not match")
                    .isLessThan(patient.dividedBy(2));
            stalled.rollback();
        }
    }

    @Test
    void anAppendThatFailedAfterTakingItsSequenceNumberLeavesAHoleThatReadsStepOver() throws Exception {
        // With an older transaction open, reads cannot take the fast path: they walk over the hole.
        whileAnUnrelatedTransactionIsOpen(this::stepOverAHoleLeftByAFailedAppend);
        stepOverAHoleLeftByAFailedAppend();
    }

    private void stepOverAHoleLeftByAFailedAppend() throws Exception {
        AppendResult first = store.append(lent("a"));
        try (Connection failing = raw()) {
            takeASequenceNumberLikeASlowAppend(failing, "lost");
            failing.rollback();
        }
        AppendResult after = store.append(lent("b"));
        assertThat(after.lastSequenceNumber()).as("a hole").isEqualTo(first.lastSequenceNumber() + 2);
        assertThat(store.query(Filter.anyOf(FilterItem.types("CopyLent"))
                                .sequenceNumberAfter(first.lastSequenceNumber() - 1))
                        .events())
                .extracting(StoredEvent::sequenceNumber)
                .containsExactly(first.lastSequenceNumber(), after.lastSequenceNumber());
    }

    @Test
    void aReadAfterTheEventsTableWasDroppedAndCreatedAgainDoesNotTrustItsOldPosition() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.append(lent("old-" + i));
        }
        assertThat(store.query(Filter.anyOf(FilterItem.types("CopyLent"))).events())
                .hasSize(5);
        TestDatabase.get().execute("DROP TABLE " + table + " CASCADE");
        try (PostgresEventStore recreated = PostgresEventStore.create(pool, config());
                Connection slowWriter = raw()) {
            takeASequenceNumberLikeASlowAppend(slowWriter, "slow");
            AppendResult fast = recreated.append(lent("fast"));
            assertThat(fast.lastSequenceNumber()).as("numbers start again").isEqualTo(2);

            assertThat(store.query(Filter.anyOf(FilterItem.types("CopyLent"))).events())
                    .as("the first store's position 5 belongs to the dropped table")
                    .isEmpty();
            slowWriter.commit();
            assertThat(store.query(Filter.anyOf(FilterItem.types("CopyLent"))).events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(1L, 2L);
        }
    }

    @Test
    void theEventLogCannotBeTruncated() {
        store.append(lent("kept"));
        assertThatThrownBy(() -> TestDatabase.get().execute("TRUNCATE " + table))
                .hasStackTraceContaining("append-only");
        assertThat(store.query(copy("kept")).events()).hasSize(1);
    }

    @Test
    void eventsCopiedFromAnotherClusterWithItsTransactionIdsDoNotHideAHoleStillBeingFilled() throws Exception {
        // A logical copy keeps transaction_id as it was: ids from the future of this cluster.
        TestDatabase.get()
                .execute("INSERT INTO " + table + " (sequence_number, event_type, payload, occurred_at, transaction_id)"
                        + " OVERRIDING SYSTEM VALUE SELECT g, 'CopyLent', jsonb_build_object('Copy', 'copied-' || g), now(), (900000000 + g)::text::xid8"
                        + " FROM generate_series(1, 3) g");
        TestDatabase.get().execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'sequence_number'), 3)");
        try (Connection slowWriter = raw()) {
            takeASequenceNumberLikeASlowAppend(slowWriter, "slow");
            store.append(lent("fast"));
            assertThat(store.query(Filter.anyOf(FilterItem.types("CopyLent"))).events())
                    .extracting(StoredEvent::sequenceNumber)
                    .containsExactly(1L, 2L, 3L);
            slowWriter.commit();
        }
        assertThat(store.query(Filter.anyOf(FilterItem.types("CopyLent"))).events())
                .extracting(StoredEvent::sequenceNumber)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aNewStoreFarBehindAnOldOpenTransactionCatchesUpInItsFirstRead() throws Exception {
        whileAnUnrelatedTransactionIsOpen(() -> {
            for (int batch = 0; batch < 25; batch++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    events.add(lent("bulk-" + batch + "-" + i));
                }
                store.append(events, null, AppendOptions.DEFAULT);
            }
            try (PostgresEventStore fresh = PostgresEventStore.create(pool, config())) {
                assertThat(fresh.query(Filter.anyOf(FilterItem.types("CopyLent")))
                                .events())
                        .as("more than two windows of the safe-mark walk, in one read")
                        .hasSize(25_000);
            }
        });
    }

    @Test
    void documentsBeyondJacksonsDefaultLimitsAreStoredAndReadBack() {
        String deep = "{\"Copy\": \"deep\", \"a\":" + "{\"a\":".repeat(4_999) + "1" + "}".repeat(5_000);
        String longNumber = "1" + "0".repeat(2_000);
        store.append(
                Event.of("CopyLent", deep), Event.of("CopyLent", "{\"Copy\": \"deep\", \"n\": " + longNumber + "}"));
        List<StoredEvent> read = store.query(copy("deep")).events();
        assertThat(read).hasSize(2);
        assertThat(read.get(1).payload()).contains(longNumber);
        assertThat(Json.parseObject("payload", read.get(0).payload())
                        .path("a")
                        .path("a")
                        .isObject())
                .isTrue();
    }

    @Test
    void aStoreWithLowerJsonLimitsRefusesAnEventOverThemBeforeAnySqlNamingTheLimit() {
        try (PostgresEventStore strict =
                PostgresEventStore.create(pool, config().withJsonLimits(new JsonLimits(10, 30, 40)))) {
            Event deep = Event.of("CopyLent", "{\"Copy\": \"strict\", \"a\":" + "[".repeat(10) + "]".repeat(10) + "}");
            assertThatThrownBy(() -> strict.append(lent("strict"), deep))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(
                            "event 1: payload nests deeper than 10 levels, the JSON limit maxNestingDepth");
            assertThat(strict.query(copy("strict")).events())
                    .as("all or nothing")
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "stringtype=unspecified",
                "preferQueryMode=extended",
                "preferQueryMode=extendedForPrepared",
                "preferQueryMode=extendedCacheEverything",
                "prepareThreshold=0",
                "prepareThreshold=1",
                "binaryTransfer=false",
                "binaryTransfer=true",
                "reWriteBatchedInserts=true",
                "stringtype=unspecified&prepareThreshold=1"
            })
    void aDriverOptionThatChangesTheProtocolKeepsAppendsAndQueriesCorrect(String option) {
        try (HikariDataSource optioned = poolWith(option);
                PostgresEventStore optionedStore = PostgresEventStore.create(optioned, config())) {
            Instant start = Instant.now().minusSeconds(60);
            // More executions than any prepare threshold, one and several events, with and without conflicts.
            for (int i = 0; i < 12; i++) {
                String id = "opt-" + i;
                QueryResult seen = optionedStore.query(copy(id).occurredFrom(start));
                optionedStore.append(copy(id), seen.maxSequenceNumber(), lent(id), lent(id));
                assertThatThrownBy(() -> optionedStore.append(copy(id), seen.maxSequenceNumber(), lent(id)))
                        .isInstanceOf(AppendConditionFailedException.class);
                assertThat(optionedStore.query(copy(id)).events()).hasSize(2);
            }
            assertThat(optionedStore
                            .query(Filter.anyOf(FilterItem.types("CopyLent")))
                            .events())
                    .hasSize(24);
            int streamed = 0;
            try (EventStream stream =
                    optionedStore.stream(Filter.anyOf(FilterItem.types("CopyLent")), ReadOptions.STRONG)) {
                while (stream.hasNext()) {
                    stream.next();
                    streamed++;
                }
            }
            assertThat(streamed).isEqualTo(24);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"preferQueryMode=simple", "prepareThreshold=-1"})
    void aDriverOptionUnderWhichNoPipelineIsOneTransactionIsRefusedAtStart(String option) {
        String name = option.substring(0, option.indexOf('='));
        try (HikariDataSource optioned = poolWith(option)) {
            assertThatThrownBy(() -> PostgresEventStore.create(optioned, config()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(name);
        }
    }

    private HikariDataSource poolWith(String option) {
        HikariConfig config = new HikariConfig();
        String url = TestDatabase.get().jdbcUrl();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + option);
        config.setUsername(TestDatabase.get().user());
        config.setPassword(TestDatabase.get().password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    /** What runs while another application's transaction is open. */
    @FunctionalInterface
    private interface WhileOpen {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} while a transaction of another application (a batch job) is open: it wrote
     * a row of its own table, so it holds a transaction id older than anything the body appends.
     */
    private static void whileAnUnrelatedTransactionIsOpen(WhileOpen body) throws Exception {
        String otherTable = TestDatabase.uniqueName("batch");
        TestDatabase.get().execute("CREATE TABLE " + otherTable + " (x int)");
        try (Connection batchJob = raw();
                Statement statement = batchJob.createStatement()) {
            batchJob.setAutoCommit(false);
            statement.execute("INSERT INTO " + otherTable + " VALUES (1)");
            body.run();
            batchJob.rollback();
        } finally {
            TestDatabase.get().execute("DROP TABLE " + otherTable);
        }
    }

    private void takeASequenceNumberLikeASlowAppend(Connection writer, String copy) throws SQLException {
        SlowAppends.takeASequenceNumber(writer, table, "CopyLent", "{\"Copy\": \"" + copy + "\"}");
    }
}
