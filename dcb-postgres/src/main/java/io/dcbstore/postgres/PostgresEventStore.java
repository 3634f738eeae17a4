package io.dcbstore.postgres;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.InvalidInputException;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.postgres.internal.Instrumented;
import io.dcbstore.postgres.internal.PostgresEngine;
import io.dcbstore.postgres.internal.ReadRouter;
import io.dcbstore.postgres.internal.Subscriptions;
import io.dcbstore.postgres.internal.Telemetry;
import io.dcbstore.postgres.internal.Telemetry.Operation;
import io.dcbstore.postgres.internal.TelemetryFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The DCB event store on PostgreSQL: a primary and zero or more streaming replicas. Works with
 * any {@link DataSource}; {@link #connectTo} builds HikariCP pools with the defaults of
 * {@link PostgresPools#newPool}.
 *
 * <p>Appends take advisory locks derived from their condition and events and run check and
 * insert in one round trip; reads never skip an event that commits late. STRONG reads and every
 * write go to the primary; EVENTUAL reads go to healthy replicas (see {@link #replicaStatus()}),
 * falling back to the primary without an error. The design and its measurements are in
 * {@code docs/design.md} and {@code docs/performance.md}.
 */
public final class PostgresEventStore implements EventStore {
    private final DataSource primary;
    private final PostgresStoreConfig config;
    private final PostgresEngine engine;
    private final ReadRouter router;
    private final Subscriptions subscriptions;
    private final Instrumented instrumented;
    private final List<AutoCloseable> owned;

    private PostgresEventStore(Builder builder) {
        this.primary = builder.primary;
        this.config = builder.config;
        this.engine = new PostgresEngine(primary, builder.config);
        this.owned = List.copyOf(builder.owned);
        boolean transactionPooler = engine.checkServer();
        if (builder.config.createSchema()) {
            engine.createSchema();
        } else {
            engine.requireSchema();
        }
        builder.replicas.forEach((name, replica) -> engine.checkReplica(replica, name));
        Telemetry telemetry = builder.meters == null && builder.observations == null
                ? Telemetry.NONE
                : TelemetryFactory.micrometer(builder.meters, builder.observations, nodes(primary, builder.replicas));
        this.router = new ReadRouter(engine, primary, builder.replicas, builder.config, telemetry);
        try {
            telemetry.watch(router::replicaStatus, engine::statementStatistics);
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
        this.instrumented = new Instrumented(telemetry);
        this.subscriptions = new Subscriptions(primary, router, builder.config, !transactionPooler);
    }

    private static Map<String, DataSource> nodes(DataSource primary, Map<String, DataSource> replicas) {
        Map<String, DataSource> nodes = new LinkedHashMap<>();
        nodes.put(ReadRouter.PRIMARY, primary);
        nodes.putAll(replicas);
        return nodes;
    }

    /**
     * A store on the caller's data source, which the caller keeps and closes.
     *
     * @param primary the primary's data source
     * @param config the configuration
     * @return the store, with its schema created if so configured
     */
    public static PostgresEventStore create(DataSource primary, PostgresStoreConfig config) {
        return builder(primary).config(config).build();
    }

    /**
     * @param primary the primary's data source
     * @return a builder to add replicas and configuration
     */
    public static Builder builder(DataSource primary) {
        return new Builder(primary);
    }

    /** Builds a store; checks every node once at {@link #build()} and fails fast with a clear error. */
    public static final class Builder {
        private final DataSource primary;
        private final Map<String, DataSource> replicas = new LinkedHashMap<>();
        private final List<AutoCloseable> owned = new ArrayList<>();
        private PostgresStoreConfig config = PostgresStoreConfig.defaults();
        private Object meters;
        private Object observations;

        private Builder(DataSource primary) {
            if (primary == null) {
                throw new InvalidInputException("primary data source must not be null");
            }
            this.primary = primary;
        }

        /**
         * @param newConfig the store's configuration
         * @return this builder, with the configuration
         */
        public Builder config(PostgresStoreConfig newConfig) {
            if (newConfig == null) {
                throw new InvalidInputException("config must not be null");
            }
            this.config = newConfig;
            return this;
        }

        /**
         * Adds a streaming replica for EVENTUAL reads.
         *
         * @param name a name for status and metrics (unique)
         * @param replica its data source
         * @return this builder
         */
        public Builder replica(String name, DataSource replica) {
            if (name == null
                    || name.isBlank()
                    || name.equals(ReadRouter.PRIMARY)
                    || replica == null
                    || replicas.containsKey(name)) {
                throw new InvalidInputException("replica needs a unique, non-blank name other than '"
                        + ReadRouter.PRIMARY + "' and a data source, got '" + name + "'");
            }
            replicas.put(name, replica);
            return this;
        }

        /**
         * Records the store's calls, replica routing, snapshots and SQL cache in Micrometer meters
         * ({@code dcb.store.*}; see the README's observability section). Without it (and without an
         * observation registry) nothing is recorded and no Micrometer class is loaded. Pools record
         * through HikariCP's own tracker: {@link PostgresPools#newPool(String, String, String, String, int, Object)}.
         *
         * @param registry where meters go: a Micrometer {@code MeterRegistry} (typed as {@code Object},
         *     as in HikariCP, so that this class loads without Micrometer, an optional dependency)
         * @return this builder
         * @throws InvalidInputException if it is null; a {@code ConfigurationException} at
         *     {@link #build()} if it is not a {@code MeterRegistry}
         */
        public Builder meterRegistry(Object registry) {
            if (registry == null) {
                throw new InvalidInputException("meter registry must not be null");
            }
            this.meters = registry;
            return this;
        }

        /**
         * Opens one observation per store call ({@code dcb.store.operation}; with a tracing bridge,
         * a span following OpenTelemetry's database conventions, child of the caller's current one).
         *
         * @param registry where observations go: a Micrometer {@code ObservationRegistry} (typed as
         *     {@code Object}, like the meter registry)
         * @return this builder
         */
        public Builder observationRegistry(Object registry) {
            if (registry == null) {
                throw new InvalidInputException("observation registry must not be null");
            }
            this.observations = registry;
            return this;
        }

        /**
         * @param resource a resource the store closes when it is closed
         * @return this builder; the store closes the resource when it is closed (pools it was given to own)
         */
        public Builder closeWithStore(AutoCloseable resource) {
            owned.add(resource);
            return this;
        }

        /**
         * @return the store
         * @throws io.dcbstore.ConfigurationException if a replica is a primary or the primary is a standby
         * @throws io.dcbstore.DatabaseException if a node cannot be reached or refuses the credentials
         */
        public PostgresEventStore build() {
            try {
                return new PostgresEventStore(this);
            } catch (RuntimeException e) {
                closeAll(owned);
                throw e;
            }
        }
    }

    /**
     * Starts connecting a store with its own HikariCP pools (closed with the store): add
     * credentials, replicas, the pool size and the configuration, then
     * {@link PostgresStoreConnector#connect()}. From properties:
     * {@link PostgresStoreConnector#fromProperties(Map, String)}.
     *
     * @param primaryUrl the primary's {@code jdbc:postgresql:} URL (multi-host URLs allowed)
     * @return a connector
     * @throws InvalidInputException if the URL is not a PostgreSQL JDBC URL
     */
    public static PostgresStoreConnector connectTo(String primaryUrl) {
        return new PostgresStoreConnector(primaryUrl);
    }

    /** @return the configuration the store runs with */
    public PostgresStoreConfig config() {
        return config;
    }

    /** @return the primary's data source */
    public DataSource primary() {
        return primary;
    }

    /** @return counters of the store's SQL: its statement cache, and appends that took the global lock */
    public StatementStatistics statementStatistics() {
        return engine.statementStatistics();
    }

    /** @return the replicas' data sources by name */
    public Map<String, DataSource> replicas() {
        return router.replicaDataSources();
    }

    /** @return the last known lag and health of every replica */
    public List<ReplicaStatus> replicaStatus() {
        return router.replicaStatus();
    }

    /** @return where reads went, and how often they fell back to the primary */
    public RoutingStatistics routingStatistics() {
        return router.statistics();
    }

    @Override
    public QueryResult query(Filter filter, ReadOptions options) {
        return instrumented.call(Operation.QUERY, call -> {
            requireNonNull(filter, options);
            QueryResult result = router.query(filter, options, call);
            call.eventsRead(result.events().size());
            return result;
        });
    }

    @Override
    public EventStream stream(Filter filter, ReadOptions options) {
        return instrumented.call(Operation.STREAM, call -> {
            requireNonNull(filter, options);
            return router.stream(filter, options, call);
        });
    }

    @Override
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        return instrumented.call(Operation.APPEND, call -> {
            if (events == null) {
                throw new InvalidInputException("events must not be null");
            }
            call.appending(events.size(), condition == null ? -1 : condition.after());
            AppendResult result = engine.append(events, condition, options);
            router.acknowledged(result.lastSequenceNumber(), events);
            subscriptions.appended();
            call.appended(result.lastSequenceNumber());
            return result;
        });
    }

    @Override
    public boolean saveSnapshot(Snapshot snapshot) {
        return instrumented.call(Operation.SNAPSHOT_SAVE, call -> {
            if (snapshot == null) {
                throw new InvalidInputException("snapshot must not be null");
            }
            boolean written = engine.saveSnapshot(snapshot);
            instrumented.record(() -> instrumented
                    .telemetry()
                    .snapshotSaved(written, snapshot.state().length()));
            return written;
        });
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String projectionType, String filterHash) {
        return instrumented.call(Operation.SNAPSHOT_LOAD, call -> {
            Optional<Snapshot> found = engine.loadSnapshot(primary, projectionType, filterHash);
            int size = found.map(loaded -> loaded.state().length()).orElse(0);
            instrumented.record(() -> instrumented.telemetry().snapshotLoaded(found.isPresent(), size));
            return found;
        });
    }

    @Override
    public boolean deleteSnapshot(String projectionType, String filterHash) {
        return instrumented.call(Operation.SNAPSHOT_DELETE, call -> {
            boolean deleted = engine.deleteSnapshot(projectionType, filterHash);
            instrumented.record(() -> instrumented.telemetry().snapshotDeleted(deleted));
            return deleted;
        });
    }

    @Override
    public EventSubscription subscribe(Filter filter, long afterSequenceNumber, SubscriptionOptions options) {
        return subscriptions.subscribe(filter, afterSequenceNumber, options);
    }

    @Override
    public void close() {
        subscriptions.close();
        router.close();
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Closing is best effort; nothing else can be done with a pool that fails to close.
            }
        }
    }

    private static void requireNonNull(Filter filter, ReadOptions options) {
        if (filter == null || options == null) {
            throw new InvalidInputException("filter and read options must not be null");
        }
    }
}
