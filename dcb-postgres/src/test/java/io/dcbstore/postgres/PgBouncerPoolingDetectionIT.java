package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendOptions;
import io.dcbstore.ConfigurationException;
import io.dcbstore.Event;
import io.dcbstore.EventStream;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.embedded.EmbeddedPgBouncer;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Attack on issue 18's pooler detection ({@code Pooling}): the verdicts it gives behind PgBouncer
 * configurations that users run, and what a wrong verdict costs.
 */
class PgBouncerPoolingDetectionIT {
    private static final Filter TICKS = Filter.anyOf(FilterItem.types("Tick"));

    /** Opens {@code servers} transactions at once through the pooler, so that it has that many server connections. */
    private static Set<Long> warm(EmbeddedPgBouncer bouncer, int servers) throws Exception {
        Set<Long> backends = new HashSet<>();
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

    /**
     * PgBouncer in transaction mode with two server connections handed out in turn
     * ({@code server_round_robin = 1}, a setting production poolers use to spread load). No trial
     * shows sharing: the probe's A runs on X, B's transaction takes Y, and A's second query finds X
     * idle again, the same backend as before, as in session mode. The verdict is "session" and the
     * store starts with pgjdbc's default prepareThreshold=5 behind a transaction pooler.
     */
    @Test
    void aRoundRobinTransactionPoolerWithTwoServersIsNotMistakenForASessionPooler() throws Exception {
        String table = TestDatabase.uniqueName("pgbrr");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(2, true))) {
            assertThat(warm(bouncer, 2)).hasSize(2);
            try (HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 4, "")) {
                Throwable refused = catchThrowable(() -> PostgresEventStore.create(
                                pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))
                        .close());
                assertThat(refused)
                        .as("refused (prepareThreshold=5 behind a transaction pooler); the store started instead")
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("Add prepareThreshold=0");
            }
        }
    }

    /**
     * What that wrong verdict costs: a store that started behind the round-robin transaction
     * pooler with pgjdbc's default prepareThreshold. After five executions pgjdbc names a statement
     * on whichever server ran it and from then on only binds it, on whichever server the pooler
     * gives next, where that name is unknown or another connection's statement.
     */
    @Test
    void aStoreThatStartedBehindATransactionPoolerNeverFailsItsAppendsOnPreparedStatementsOfAnotherConnection()
            throws Exception {
        String table = TestDatabase.uniqueName("pgbrr");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(2, true))) {
            warm(bouncer, 2);
            try (HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 4, "")) {
                PostgresEventStore store;
                try {
                    store = PostgresEventStore.create(
                            pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"));
                } catch (ConfigurationException refused) {
                    return; // refused at start: the right outcome, nothing to run
                }
                try (store) {
                    List<CompletableFuture<Void>> appends = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        appends.add(CompletableFuture.runAsync(() -> {
                            for (int n = 0; n < 30; n++) {
                                store.append(
                                        List.of(Event.of("Tick", Map.of("n", n))),
                                        null,
                                        AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)));
                                store.query(TICKS);
                            }
                        }));
                    }
                    CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new))
                            .get(120, TimeUnit.SECONDS);
                    assertThat(store.query(TICKS).events()).hasSize(120);
                }
            }
        }
    }

    /**
     * The same pooler with prepareThreshold=0 (what the store asks for): no trial shows sharing,
     * the verdict is "session", and the store LISTENs behind a transaction pooler, on whichever
     * server connection runs the LISTEN (docs/design.md says it does not).
     */
    @Test
    void aRoundRobinTransactionPoolerWithTwoServersIsFoundSoTheStoreDoesNotListenThere() throws Exception {
        String table = TestDatabase.uniqueName("pgbrr");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(2, true))) {
            assertThat(warm(bouncer, 2)).hasSize(2);
            try (HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 4, "?prepareThreshold=0");
                    PostgresEventStore store = PostgresEventStore.create(
                            pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
                java.lang.reflect.Field subscriptionsField = PostgresEventStore.class.getDeclaredField("subscriptions");
                subscriptionsField.setAccessible(true);
                Object subscriptions = subscriptionsField.get(store);
                java.lang.reflect.Field listen = subscriptions.getClass().getDeclaredField("listen");
                listen.setAccessible(true);
                assertThat(listen.getBoolean(subscriptions))
                        .as("the store found a transaction pooler (LISTEN off)")
                        .isFalse();
            }
        }
    }

    /**
     * Statement mode: the probe says "statement mode" only when B's transaction fails, and a pool
     * of one connection skips the probe (assumed transaction mode). With prepareThreshold=0 and a
     * schema that already exists, the store then starts, and its first stream (a cursor in a
     * transaction) fails at run time instead of the store being refused at start.
     */
    @Test
    void aPoolerInStatementModeIsRefusedAtStartEvenWithAPoolOfOneConnection() throws Exception {
        String table = TestDatabase.uniqueName("pgbst");
        StoreFixture.ClosingStore direct = directStore(table); // the schema exists, as in production
        direct.close();
        Map<String, String> statementMode = new LinkedHashMap<>(EmbeddedPgBouncer.transactionMode(4));
        statementMode.put("pool_mode", "statement");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(statementMode);
                HikariDataSource pool = PgBouncerFixture.pool(bouncer, table + "_p", 1, "?prepareThreshold=0")) {
            Throwable refused = catchThrowable(() -> {
                try (PostgresEventStore store = PostgresEventStore.create(
                        pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
                    store.append(Event.of("Tick", Map.of("n", 1)));
                    try (EventStream stream = store.stream(TICKS, ReadOptions.STRONG)) {
                        stream.forEachRemaining(event -> {});
                    }
                }
            });
            assertThat(refused)
                    .as("refused at start, saying statement mode")
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("statement mode");
        }
    }

    @Test
    void aPoolerInStatementModeIsRefusedAtStartPromptlyWithAPoolOfSeveralConnections() {
        String table = TestDatabase.uniqueName("pgbst");
        Map<String, String> statementMode = new LinkedHashMap<>(EmbeddedPgBouncer.transactionMode(4));
        statementMode.put("pool_mode", "statement");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(statementMode);
                HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 4, "?prepareThreshold=0")) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> PostgresEventStore.create(
                            pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("statement mode");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
    }

    /**
     * Session mode with fewer server connections than the store's pool: the probe's second
     * connection gets no server (PgBouncer holds it until query_wait_timeout, Hikari gives up after
     * its connectionTimeout), and the store fails after that wait with a pool timeout that does
     * not say why. The store cannot run there (two operations at once would wait for each other's
     * server), so a refusal is right, but it should say what to change.
     */
    @Test
    void aSessionPoolerWithFewerServerConnectionsThanThePoolIsRefusedSayingSo() {
        String table = TestDatabase.uniqueName("pgbss");
        Map<String, String> session = new LinkedHashMap<>();
        session.put("pool_mode", "session");
        session.put("default_pool_size", "1");
        session.put("max_client_conn", "100");
        session.put("query_wait_timeout", "3");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(session);
                HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 4, "")) {
            long started = System.nanoTime();
            Throwable outcome = catchThrowable(() -> PostgresEventStore.create(
                            pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))
                    .close());
            assertThat(outcome)
                    .as("after " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms")
                    .isInstanceOf(ConfigurationException.class)
                    .message()
                    .doesNotContain("statement mode");
        }
    }

    @Test
    void aPlainDataSourceBehindATransactionPoolerIsRefusedWithPgjdbcsDefaultPrepareThreshold() {
        String table = TestDatabase.uniqueName("pgbds");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(4))) {
            PGSimpleDataSource plain = new PGSimpleDataSource();
            plain.setUrl(bouncer.jdbcUrl(databaseName()).replace("?prepareThreshold=0", ""));
            plain.setUser(TestDatabase.get().user());
            plain.setPassword(TestDatabase.get().password());
            assertThatThrownBy(() -> PostgresEventStore.create(
                            plain, PostgresStoreConfig.defaults().withTables(table, table + "_snap")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("prepareThreshold=5");
            plain.setPrepareThreshold(0);
            try (PostgresEventStore store = PostgresEventStore.create(
                    plain, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
                for (int i = 0; i < 10; i++) {
                    store.append(Event.of("Tick", Map.of("n", i)));
                }
                assertThat(store.query(TICKS).events()).hasSize(10);
            }
        }
    }

    /**
     * The probe's own transaction ends with pgjdbc's ROLLBACK, which pgjdbc sends as a named
     * statement ("S_1") on its first use whenever prepareThreshold is above 0, and the pooler's
     * server connection keeps it. The first store refused behind a transaction pooler gets the
     * clear message; the next one (a second instance, a restart, the same user trying again) has
     * its ROLLBACK named S_1 on the same server connection and fails with "prepared statement
     * "S_1" already exists" (42P05) instead.
     */
    @Test
    void everyStoreRefusedBehindTheSameTransactionPoolerGetsTheMessageThatSaysWhatToChange() {
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(4, false))) {
            for (int instance = 0; instance < 2; instance++) {
                String table = TestDatabase.uniqueName("pgbtw");
                try (HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 4, "")) {
                    assertThatThrownBy(() -> PostgresEventStore.create(
                                    pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap")))
                            .as("instance %d", instance)
                            .isInstanceOf(ConfigurationException.class)
                            .hasMessageContaining("Add prepareThreshold=0");
                }
            }
        }
    }

    @Test
    void aReplicaBehindATransactionPoolerIsRefusedWithPgjdbcsDefaultPrepareThresholdAndNamed() {
        String table = TestDatabase.uniqueName("pgbrp");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(4));
                HikariDataSource primary = TestDatabase.get().newPool(table, 4);
                HikariDataSource replica = PgBouncerFixture.pool(bouncer, table + "_r", 4, "")) {
            assertThatThrownBy(() -> PostgresEventStore.builder(primary)
                            .config(PostgresStoreConfig.defaults().withTables(table, table + "_snap"))
                            .replica("r1", replica)
                            .build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("replica r1")
                    .hasMessageContaining("prepareThreshold=0");
        }
    }

    /**
     * The probe takes two connections of the store's own pool: with a pool of exactly two it must
     * give both back, leave no thread behind and add little to the start.
     */
    @Test
    void theProbeGivesBackBothConnectionsOfAPoolOfTwoAndLeavesNoThread() throws Exception {
        String table = TestDatabase.uniqueName("pgbp2");
        try (EmbeddedPgBouncer bouncer = PgBouncerFixture.start(EmbeddedPgBouncer.transactionMode(1));
                HikariDataSource pool = PgBouncerFixture.pool(bouncer, table, 2, "?prepareThreshold=0")) {
            long started = System.nanoTime();
            try (PostgresEventStore store = PostgresEventStore.create(
                    pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
                Duration start = Duration.ofNanos(System.nanoTime() - started);
                assertThat(start).as("start through the pooler").isLessThan(Duration.ofSeconds(5));
                assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
                assertThat(Thread.getAllStackTraces().keySet())
                        .noneMatch(thread -> thread.getName().equals("dcb-pooling-probe") && thread.isAlive());
                List<CompletableFuture<Void>> appends = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    appends.add(CompletableFuture.runAsync(() -> {
                        for (int n = 0; n < 20; n++) {
                            store.append(
                                    List.of(Event.of("Tick", Map.of("n", n))),
                                    null,
                                    AppendOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)));
                        }
                    }));
                }
                CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
                assertThat(store.query(TICKS).events()).hasSize(40);
            }
        }
    }

    /** Without LISTEN behind the transaction pooler, another process's appends still arrive (by polling). */
    @Test
    void aSubscriptionBehindATransactionPoolerReceivesAnotherProcesssAppendsByPolling() {
        String table = TestDatabase.uniqueName("pgbsub");
        try (HikariDataSource listening =
                        PgBouncerFixture.pool(PgBouncerFixture.get(), table + "_a", 4, "?prepareThreshold=0");
                HikariDataSource writing =
                        PgBouncerFixture.pool(PgBouncerFixture.get(), table + "_b", 4, "?prepareThreshold=0");
                PostgresEventStore subscriber = PostgresEventStore.create(
                        listening, PostgresStoreConfig.defaults().withTables(table, table + "_snap"));
                PostgresEventStore writer = PostgresEventStore.create(
                        writing, PostgresStoreConfig.defaults().withTables(table, table + "_snap"));
                EventSubscription subscription = subscriber.subscribe(
                        TICKS, 0, SubscriptionOptions.DEFAULTS.withPollInterval(Duration.ofMillis(200)))) {
            for (int i = 0; i < 5; i++) {
                writer.append(Event.of("Tick", Map.of("n", i)));
            }
            List<Long> received = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < 5 && System.nanoTime() < deadline) {
                StoredEvent event = subscription.next(Duration.ofMillis(500));
                if (event != null) {
                    received.add(event.sequenceNumber());
                }
            }
            assertThat(received).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    /**
     * The probe asks a Hikari pool for its size, but a pool wrapped by the application (Spring's
     * DelegatingDataSource, a tracing or metrics proxy) is not a HikariDataSource: with one
     * connection, the probe's second getConnection waits for Hikari's connectionTimeout and the
     * store fails to start with a pool timeout, where the bare pool of one starts.
     */
    @Test
    void aWrappedPoolOfOneConnectionBehindATransactionPoolerStartsLikeTheBarePool() {
        String table = TestDatabase.uniqueName("pgbwr");
        try (HikariDataSource pool = PgBouncerFixture.pool(PgBouncerFixture.get(), table, 1, "?prepareThreshold=0")) {
            javax.sql.DataSource wrapped = new Wrapped(pool);
            long started = System.nanoTime();
            Throwable outcome = catchThrowable(() -> PostgresEventStore.create(
                            wrapped, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))
                    .close());
            assertThat(outcome)
                    .as("after " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms")
                    .isNull();
        }
    }

    /** A DataSource that only delegates, as application wrappers do. */
    private static final class Wrapped implements javax.sql.DataSource {
        private final javax.sql.DataSource target;

        Wrapped(javax.sql.DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws java.sql.SQLException {
            return target.getConnection(user, password);
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws java.sql.SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws java.sql.SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws java.sql.SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws java.sql.SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
            return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws java.sql.SQLException {
            return iface.isInstance(this) || target.isWrapperFor(iface);
        }
    }

    private static StoreFixture.ClosingStore directStore(String table) {
        HikariDataSource pool = TestDatabase.get().newPool(table, 2);
        return new StoreFixture.ClosingStore(
                PostgresEventStore.create(pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap")),
                pool);
    }

    private static String databaseName() {
        String url = TestDatabase.get().jdbcUrl();
        String path = java.net.URI.create(url.substring("jdbc:".length())).getPath();
        return path == null || path.length() < 2 ? "postgres" : path.substring(1);
    }
}
