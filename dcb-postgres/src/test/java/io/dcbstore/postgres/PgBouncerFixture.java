package io.dcbstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.EventStore;
import io.dcbstore.embedded.EmbeddedPgBouncer;
import io.dcbstore.testkit.TestDatabase;
import java.net.URI;
import java.util.Map;

/**
 * One PgBouncer in transaction mode in front of the test database, shared by a test JVM (stopped
 * when it exits): 4 server connections handed out in turn to every pool of the tests, which have up
 * to 12 client connections each. Runs only in the {@code pgbouncer} profile (it needs the system's
 * {@code pgbouncer}).
 */
final class PgBouncerFixture {
    private static EmbeddedPgBouncer shared;

    private PgBouncerFixture() {}

    /** @return the shared pooler, started on first use */
    static synchronized EmbeddedPgBouncer get() {
        if (shared == null) {
            shared = start(EmbeddedPgBouncer.transactionMode(4));
        }
        return shared;
    }

    /**
     * @param settings PgBouncer's settings
     * @return a new pooler in front of the test database; the caller closes it
     */
    static EmbeddedPgBouncer start(Map<String, String> settings) {
        TestDatabase database = TestDatabase.get();
        return EmbeddedPgBouncer.start(serverPort(database), database.user(), settings);
    }

    private static int serverPort(TestDatabase database) {
        if (database.embedded() != null) {
            return database.embedded().port();
        }
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        if (!"127.0.0.1".equals(server.getHost()) && !"localhost".equals(server.getHost())) {
            throw new IllegalStateException("the PgBouncer tests put a local PgBouncer in front of a local server; "
                    + TestDatabase.URL_VARIABLE + " names " + server.getHost());
        }
        return server.getPort() < 0 ? 5432 : server.getPort();
    }

    /**
     * @param bouncer the pooler
     * @param name the pool's name
     * @param size its size
     * @param urlOptions options after the database name, e.g. {@code ?prepareThreshold=0}, or empty
     * @return a pool of connections through the pooler; the caller closes it
     */
    static HikariDataSource pool(EmbeddedPgBouncer bouncer, String name, int size, String urlOptions) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/" + databaseName() + urlOptions);
        config.setUsername(TestDatabase.get().user());
        config.setPassword(TestDatabase.get().password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static String databaseName() {
        String url = TestDatabase.get().jdbcUrl();
        String path = URI.create(url.substring("jdbc:".length())).getPath();
        return path == null || path.length() < 2 ? "postgres" : path.substring(1);
    }

    /** A store on fresh tables, through the shared pooler with {@code prepareThreshold=0}, closed with its pool. */
    static EventStore newStore(int poolSize, PostgresStoreConfig base) {
        String table = TestDatabase.uniqueName("pgb");
        HikariDataSource pool = pool(get(), table, poolSize, "?prepareThreshold=0");
        try {
            return new StoreFixture.ClosingStore(
                    PostgresEventStore.create(pool, base.withTables(table, table + "_snap")), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
