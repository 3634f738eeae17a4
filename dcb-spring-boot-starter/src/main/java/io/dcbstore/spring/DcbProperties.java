package io.dcbstore.spring;

import io.dcbstore.InvalidInputException;
import io.dcbstore.JsonLimits;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code dcb.*} properties: where the store's nodes are and how it is configured. Immutable;
 * bound once at start and validated then, every problem reported together (an
 * {@link InvalidInputException} that the start-up failure names).
 *
 * <p>Without {@code dcb.primary.url} the store uses the application's {@code DataSource}; with it,
 * the store gets its own HikariCP pool of {@code dcb.pool-size} connections, closed with the
 * application context. Replicas ({@code dcb.replicas.<name>.url}) always get pools of their own;
 * their user and password default to the primary's.
 *
 * <pre>
 * dcb.primary.url=jdbc:postgresql://db-primary:5432/library
 * dcb.primary.user=library
 * dcb.primary.password=secret
 * dcb.replicas.replica-1.url=jdbc:postgresql://db-replica-1:5432/library
 * dcb.store.max-replica-lag=500ms
 * </pre>
 */
@ConfigurationProperties(prefix = "dcb")
public final class DcbProperties {
    /** The primary, when the store should not use the application's DataSource. */
    private final Node primary;

    /** Streaming replicas for EVENTUAL reads, by name (the name shows in health and metrics). */
    private final Map<String, Node> replicas;

    /** Largest number of connections of each pool the store owns (primary and every replica). */
    private final int poolSize;

    /** The store's configuration; every value defaults to PostgresStoreConfig.defaults(). */
    private final Store store;

    /**
     * @param primary the primary's connection, or empty for the application's {@code DataSource}
     * @param replicas the replicas by name
     * @param poolSize connections per owned pool (at least 1)
     * @param store the store's configuration
     * @throws InvalidInputException naming every invalid value
     */
    public DcbProperties(
            @DefaultValue Node primary,
            Map<String, Node> replicas,
            @DefaultValue("10") int poolSize,
            @DefaultValue Store store) {
        this.primary = primary;
        this.replicas = replicas == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(replicas));
        this.poolSize = poolSize;
        this.store = store;
        List<String> problems = new ArrayList<>();
        if (hasText(primary.getUrl())) {
            checkUrl(problems, "dcb.primary.url", primary.getUrl());
        }
        this.replicas.forEach((name, node) -> checkUrl(problems, "dcb.replicas." + name + ".url", node.getUrl()));
        if (poolSize < 1) {
            problems.add("dcb.pool-size must be at least 1, got " + poolSize);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    private static void checkUrl(List<String> problems, String property, String url) {
        if (!hasText(url)) {
            problems.add(property + " is empty; it must be a jdbc:postgresql: URL");
        } else if (!url.trim().startsWith("jdbc:postgresql:")) {
            problems.add(property + " must be a jdbc:postgresql: URL (its value is not shown: it may hold a password)");
        }
    }

    /**
     * @param url a URL property's value
     * @return whether it is set: an empty value ({@code dcb.primary.url=${DB_URL:}}) counts as unset
     */
    public static boolean hasText(String url) {
        return url != null && !url.isBlank();
    }

    /** @return the primary's connection; its URL is null when the application's DataSource is used */
    public Node getPrimary() {
        return primary;
    }

    /** @return the replicas by name (possibly empty, never null) */
    public Map<String, Node> getReplicas() {
        return replicas;
    }

    /** @return the largest number of connections per owned pool */
    public int getPoolSize() {
        return poolSize;
    }

    /** @return the store's configuration properties */
    public Store getStore() {
        return store;
    }

    /** A database node: a JDBC URL and credentials. */
    public static final class Node {
        /** JDBC URL of the node: jdbc:postgresql://host:port/database?options. */
        private final String url;

        /** User to connect as (for a replica: the primary's when not set). */
        private final String user;

        /** Password (for a replica: the primary's when not set). */
        private final String password;

        /**
         * @param url the JDBC URL, or null
         * @param user the user, or null
         * @param password the password, or null
         */
        public Node(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        /** @return the JDBC URL, or null */
        public String getUrl() {
            return url;
        }

        /** @return the user, or null */
        public String getUser() {
            return user;
        }

        /** @return the password, or null */
        public String getPassword() {
            return password;
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "Node[url=" + url + ", user=" + user + "]";
        }
    }

    /**
     * The settings of {@link PostgresStoreConfig}, one property each (its {@link PostgresStoreConfig.Setting}
     * catalogue describes them); the defaults are the store's own. JSON limits keep the store's default.
     */
    public static final class Store {
        /** Name of the events table: lowercase letters, digits, _; at most 40. */
        private final String eventsTable;

        /** Name of the snapshots table. */
        private final String snapshotsTable;

        /** Largest payload or metadata accepted, in UTF-8 bytes. */
        private final int maxPayloadBytes;

        /** Timeout of an operation that does not set its own. */
        private final Duration defaultTimeout;

        /** Rows per round trip when streaming a large result. */
        private final int streamFetchSize;

        /** Whether to create tables, indexes and functions on start if missing. */
        private final boolean createSchema;

        /** A replica further behind gets no EVENTUAL reads until it catches up. */
        private final Duration maxReplicaLag;

        /** How long a read with a commit token waits for a replica before the primary serves it. */
        private final Duration readYourWritesWait;

        /** How often replicas are checked (lag, recovery, reachability). */
        private final Duration healthCheckInterval;

        /** Timeout of saving, loading or deleting a snapshot (a whole projection state). */
        private final Duration snapshotTimeout;

        /** Shortest time between two notifications that wake other processes' subscriptions; 0 for none. */
        private final Duration notifyInterval;

        /** Payload keys that name entities, each with an index of its events in order. */
        private final List<String> indexedKeys;

        private final PostgresStoreConfig config;

        /**
         * Validates every value through {@link PostgresStoreConfig}.
         *
         * @param eventsTable see {@link PostgresStoreConfig#eventsTable()}
         * @param snapshotsTable see {@link PostgresStoreConfig#snapshotsTable()}
         * @param maxPayloadBytes see {@link PostgresStoreConfig#maxPayloadBytes()}
         * @param defaultTimeout see {@link PostgresStoreConfig#defaultTimeout()}
         * @param streamFetchSize see {@link PostgresStoreConfig#streamFetchSize()}
         * @param createSchema see {@link PostgresStoreConfig#createSchema()}
         * @param maxReplicaLag see {@link PostgresStoreConfig#maxReplicaLag()}
         * @param readYourWritesWait see {@link PostgresStoreConfig#readYourWritesWait()}
         * @param healthCheckInterval see {@link PostgresStoreConfig#healthCheckInterval()}
         * @param snapshotTimeout see {@link PostgresStoreConfig#snapshotTimeout()}
         * @param notifyInterval see {@link PostgresStoreConfig#notifyInterval()}
         * @param indexedKeys see {@link PostgresStoreConfig#indexedKeys()}
         * @throws InvalidInputException naming every invalid value
         */
        public Store(
                @DefaultValue("events") String eventsTable,
                @DefaultValue("event_snapshots") String snapshotsTable,
                @DefaultValue("1048576") int maxPayloadBytes,
                @DefaultValue("5s") Duration defaultTimeout,
                @DefaultValue("1000") int streamFetchSize,
                @DefaultValue("true") boolean createSchema,
                @DefaultValue("2s") Duration maxReplicaLag,
                @DefaultValue("200ms") Duration readYourWritesWait,
                @DefaultValue("250ms") Duration healthCheckInterval,
                @DefaultValue("30s") Duration snapshotTimeout,
                @DefaultValue("20ms") Duration notifyInterval,
                @DefaultValue("") List<String> indexedKeys) {
            this.eventsTable = eventsTable;
            this.snapshotsTable = snapshotsTable;
            this.maxPayloadBytes = maxPayloadBytes;
            this.defaultTimeout = defaultTimeout;
            this.streamFetchSize = streamFetchSize;
            this.createSchema = createSchema;
            this.maxReplicaLag = maxReplicaLag;
            this.readYourWritesWait = readYourWritesWait;
            this.healthCheckInterval = healthCheckInterval;
            this.snapshotTimeout = snapshotTimeout;
            this.notifyInterval = notifyInterval;
            // An empty property (the default) binds as one empty element: no keys.
            this.indexedKeys = indexedKeys == null
                    ? List.of()
                    : indexedKeys.stream()
                            .filter(key -> key != null && !key.isBlank())
                            .toList();
            this.config = new PostgresStoreConfig(
                    eventsTable,
                    snapshotsTable,
                    maxPayloadBytes,
                    defaultTimeout,
                    streamFetchSize,
                    createSchema,
                    maxReplicaLag,
                    readYourWritesWait,
                    healthCheckInterval,
                    snapshotTimeout,
                    JsonLimits.POSTGRESQL,
                    notifyInterval,
                    this.indexedKeys);
        }

        /** @return the validated store configuration these properties describe */
        public PostgresStoreConfig toStoreConfig() {
            return config;
        }

        /** @return the events table */
        public String getEventsTable() {
            return eventsTable;
        }

        /** @return the snapshots table */
        public String getSnapshotsTable() {
            return snapshotsTable;
        }

        /** @return the largest payload, in bytes */
        public int getMaxPayloadBytes() {
            return maxPayloadBytes;
        }

        /** @return the default timeout */
        public Duration getDefaultTimeout() {
            return defaultTimeout;
        }

        /** @return rows per round trip when streaming */
        public int getStreamFetchSize() {
            return streamFetchSize;
        }

        /** @return whether the schema is created on start */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /** @return the largest replica lag that still gets EVENTUAL reads */
        public Duration getMaxReplicaLag() {
            return maxReplicaLag;
        }

        /** @return how long a read with a commit token waits for a replica */
        public Duration getReadYourWritesWait() {
            return readYourWritesWait;
        }

        /** @return how often replicas are checked */
        public Duration getHealthCheckInterval() {
            return healthCheckInterval;
        }

        /** @return the timeout of snapshot operations */
        public Duration getSnapshotTimeout() {
            return snapshotTimeout;
        }

        /** @return the shortest time between notifications */
        public Duration getNotifyInterval() {
            return notifyInterval;
        }

        /** @return the payload keys indexed with their events' order */
        public List<String> getIndexedKeys() {
            return indexedKeys;
        }
    }
}
