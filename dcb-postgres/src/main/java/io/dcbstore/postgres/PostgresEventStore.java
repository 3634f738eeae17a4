package io.dcbstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.InvalidInputException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.postgres.internal.PostgresEngine;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The DCB event store on PostgreSQL. Works with any {@link DataSource} for PostgreSQL 13 or
 * later; {@link #connect} builds a HikariCP pool with the defaults of {@link #newPool}.
 *
 * <p>Appends take advisory locks derived from their condition and events and run check and
 * insert in one round trip; reads never skip an event that commits late. The design and its
 * measurements are in {@code docs/design.md} and {@code docs/performance.md}.
 */
public final class PostgresEventStore implements EventStore {
    private final DataSource primary;
    private final PostgresEngine engine;
    private final AutoCloseable owned;

    private PostgresEventStore(DataSource primary, PostgresStoreConfig config, AutoCloseable owned) {
        this.primary = primary;
        this.engine = new PostgresEngine(primary, config);
        this.owned = owned;
        if (config.createSchema()) {
            engine.createSchema();
        }
    }

    /**
     * A store on the caller's data source, which the caller keeps and closes.
     *
     * @param primary the primary's data source
     * @param config the configuration
     * @return the store, with its schema created if so configured
     */
    public static PostgresEventStore create(DataSource primary, PostgresStoreConfig config) {
        if (primary == null || config == null) {
            throw new InvalidInputException("primary data source and config must not be null");
        }
        return new PostgresEventStore(primary, config, null);
    }

    /**
     * A store with its own HikariCP pool ({@link #newPool} with 10 connections), closed with the store.
     *
     * @param jdbcUrl a {@code jdbc:postgresql:} URL
     * @param user the user
     * @param password the password
     * @param config the configuration
     * @return the store
     */
    public static PostgresEventStore connect(String jdbcUrl, String user, String password, PostgresStoreConfig config) {
        HikariDataSource pool = newPool("dcb-primary", jdbcUrl, user, password, 10);
        try {
            return new PostgresEventStore(pool, config, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * A HikariCP pool with the settings this store is measured with: a small minimum idle (2; the
     * reference lost 14 ms a request to an over-provisioned idle pool), fail fast at start
     * (connection timeout 5 s), and client-side prepared statements reused after 5 executions.
     *
     * @param name the pool's name (shown in metrics and thread names)
     * @param jdbcUrl a {@code jdbc:postgresql:} URL
     * @param user the user
     * @param password the password
     * @param maximumPoolSize the largest number of connections
     * @return the pool; the caller closes it
     */
    public static HikariDataSource newPool(String name, String jdbcUrl, String user, String password, int maximumPoolSize) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException("JDBC URL must start with jdbc:postgresql:, got " + jdbcUrl);
        }
        if (maximumPoolSize < 1) {
            throw new InvalidInputException("maximum pool size must be positive, got " + maximumPoolSize);
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(maximumPoolSize);
        hikari.setMinimumIdle(Math.min(2, maximumPoolSize));
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(5_000);
        hikari.addDataSourceProperty("ApplicationName", name);
        hikari.addDataSourceProperty("connectTimeout", "5");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(hikari);
    }

    /** @return the primary's data source */
    public DataSource primary() {
        return primary;
    }

    @Override
    public QueryResult query(Filter filter, ReadOptions options) {
        requireNonNull(filter, options);
        return engine.query(primary, filter, options);
    }

    @Override
    public EventStream stream(Filter filter, ReadOptions options) {
        requireNonNull(filter, options);
        return engine.stream(primary, filter, options);
    }

    @Override
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        if (events == null) {
            throw new InvalidInputException("events must not be null");
        }
        return engine.append(events, condition, options);
    }

    @Override
    public boolean saveSnapshot(Snapshot snapshot) {
        if (snapshot == null) {
            throw new InvalidInputException("snapshot must not be null");
        }
        return engine.saveSnapshot(snapshot);
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String projectionType, String filterHash) {
        return engine.loadSnapshot(primary, projectionType, filterHash);
    }

    @Override
    public boolean deleteSnapshot(String projectionType, String filterHash) {
        return engine.deleteSnapshot(projectionType, filterHash);
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the store's pool failed", e);
            }
        }
    }

    private static void requireNonNull(Filter filter, ReadOptions options) {
        if (filter == null || options == null) {
            throw new InvalidInputException("filter and read options must not be null");
        }
    }
}
