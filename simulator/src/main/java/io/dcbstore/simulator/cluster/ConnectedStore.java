package io.dcbstore.simulator.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresPools;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.metrics.Observability;
import io.dcbstore.simulator.seed.Checkpoints;
import io.dcbstore.simulator.seed.LibrarySeeder;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The store on a primary and an optional replica, with one pool per server (the replica named
 * {@code replica-1}); closing it closes the store, then the pools.
 */
public final class ConnectedStore implements AutoCloseable {
    /**
     * Where the servers are.
     *
     * @param primaryUrl the primary ({@code jdbc:postgresql:...})
     * @param replicaUrl the replica, or {@code null} for none
     * @param user the database user
     * @param password the password
     */
    public record Servers(String primaryUrl, String replicaUrl, String user, String password) {
        /** Requires the primary. */
        public Servers {
            if (primaryUrl == null) {
                throw new IllegalArgumentException("the primary's URL is required");
            }
        }
    }

    /**
     * How to connect.
     *
     * @param poolName the pools' name prefix: {@code <name>-primary}, {@code <name>-replica}
     * @param primaryPoolSize connections to the primary
     * @param replicaPoolSize connections to the replica
     * @param storeConfig the store's configuration
     * @param decorator wraps each pool before the store uses it (the identity for none)
     * @param observability where the pools and the store record (nothing by default)
     */
    public record Options(
            String poolName,
            int primaryPoolSize,
            int replicaPoolSize,
            PostgresStoreConfig storeConfig,
            UnaryOperator<DataSource> decorator,
            Observability observability) {
        /** Checks every field. */
        public Options {
            List<String> problems = new ArrayList<>();
            if (poolName == null || poolName.isBlank()) {
                problems.add("a pool name is required");
            }
            if (primaryPoolSize < 1 || replicaPoolSize < 1) {
                problems.add("pool sizes must be positive, got " + primaryPoolSize + " and " + replicaPoolSize);
            }
            if (storeConfig == null || decorator == null || observability == null) {
                problems.add("a store configuration, a decorator and the observability are required");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
        }

        /**
         * @param poolName the pools' name prefix
         * @param primaryPoolSize connections to the primary
         * @param replicaPoolSize connections to the replica
         * @return options with the store's defaults and undecorated pools
         */
        public static Options of(String poolName, int primaryPoolSize, int replicaPoolSize) {
            return new Options(
                    poolName,
                    primaryPoolSize,
                    replicaPoolSize,
                    PostgresStoreConfig.defaults(),
                    UnaryOperator.identity(),
                    Observability.NONE);
        }

        /**
         * @param poolName the pools' name prefix
         * @param poolSize connections to each server
         * @return options with the store's defaults and undecorated pools
         */
        public static Options of(String poolName, int poolSize) {
            return of(poolName, poolSize, poolSize);
        }
    }

    private final HikariDataSource primaryPool;
    private final HikariDataSource replicaPool;
    private final PostgresEventStore store;
    private final PostgresStoreConfig storeConfig;

    private ConnectedStore(
            HikariDataSource primaryPool,
            HikariDataSource replicaPool,
            PostgresEventStore store,
            PostgresStoreConfig storeConfig) {
        this.primaryPool = primaryPool;
        this.replicaPool = replicaPool;
        this.store = store;
        this.storeConfig = storeConfig;
    }

    /**
     * Opens the pools and builds the store (which creates its tables if needed); closes what it
     * opened when that fails.
     *
     * @param servers where the servers are
     * @param options how to connect
     * @return the store and its pools
     */
    public static ConnectedStore open(Servers servers, Options options) {
        HikariDataSource primaryPool = PostgresPools.newPool(
                options.poolName() + "-primary",
                servers.primaryUrl(),
                servers.user(),
                servers.password(),
                options.primaryPoolSize(),
                options.observability().meters());
        HikariDataSource replicaPool = null;
        try {
            PostgresEventStore.Builder builder = PostgresEventStore.builder(
                            options.decorator().apply(primaryPool))
                    .config(options.storeConfig());
            if (options.observability().meters() != null) {
                builder.meterRegistry(options.observability().meters());
            }
            if (options.observability().observations() != null) {
                builder.observationRegistry(options.observability().observations());
            }
            if (servers.replicaUrl() != null) {
                replicaPool = PostgresPools.newPool(
                        options.poolName() + "-replica",
                        servers.replicaUrl(),
                        servers.user(),
                        servers.password(),
                        options.replicaPoolSize(),
                        options.observability().meters());
                builder.replica("replica-1", options.decorator().apply(replicaPool));
            }
            return new ConnectedStore(primaryPool, replicaPool, builder.build(), options.storeConfig());
        } catch (RuntimeException e) {
            if (replicaPool != null) {
                replicaPool.close();
            }
            primaryPool.close();
            throw e;
        }
    }

    /**
     * Loads a library's history into the store's (empty) events table, then checkpoints the primary
     * and the replica ({@link Checkpoints#afterLoad}), so that the run does not write the load's pages.
     *
     * @param plan what to load
     * @param progress receives the number of events written so far
     * @return how long it took, and whether the role could checkpoint
     * @throws SQLException from the database
     */
    public Seeded seed(LibrarySeeder.Plan plan, LongConsumer progress) throws SQLException {
        long started = System.nanoTime();
        new LibrarySeeder(primaryPool, storeConfig.eventsTable()).seed(plan, progress);
        boolean checkpointed = Checkpoints.afterLoad(primaryPool, replicaPool);
        return new Seeded(Duration.ofNanos(System.nanoTime() - started), checkpointed);
    }

    /**
     * @param took the load, its freeze and analyse, and the checkpoints
     * @param checkpointed false when the role was not allowed to checkpoint (a superuser or a member
     *     of {@code pg_checkpoint} is), so the run may start during the load's checkpoint
     */
    public record Seeded(Duration took, boolean checkpointed) {}

    /** @return the store */
    public PostgresEventStore store() {
        return store;
    }

    /** @return the store's configuration */
    public PostgresStoreConfig storeConfig() {
        return storeConfig;
    }

    /** @return the primary's pool, undecorated */
    public HikariDataSource primaryPool() {
        return primaryPool;
    }

    /** @return the replica's pool, undecorated, or {@code null} without a replica */
    public HikariDataSource replicaPool() {
        return replicaPool;
    }

    /** Closes the store, then the pools. */
    @Override
    public void close() {
        try {
            store.close();
        } finally {
            try {
                if (replicaPool != null) {
                    replicaPool.close();
                }
            } finally {
                primaryPool.close();
            }
        }
    }
}
