package io.dcbstore.postgres;

import io.dcbstore.InvalidInputException;
import io.dcbstore.JsonLimits;
import io.dcbstore.postgres.internal.SettingText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Immutable, validated configuration of a {@link PostgresEventStore}. Every problem is reported
 * together; derive variants with the {@code with...} methods. {@link Setting} is the catalogue of
 * settings with their defaults and descriptions.
 *
 * @param eventsTable name of the events table (unqualified; the connection's search_path decides the schema)
 * @param snapshotsTable name of the snapshots table
 * @param maxPayloadBytes largest accepted payload or metadata, in UTF-8 bytes
 * @param defaultTimeout timeout of an operation that does not give its own
 * @param streamFetchSize rows fetched per round trip by {@link io.dcbstore.EventStore#stream}
 * @param createSchema whether {@link PostgresEventStore} creates its tables on start
 * @param maxReplicaLag a replica further behind than this gets no EVENTUAL reads
 * @param readYourWritesWait how long a read with a commit token waits for a replica to replay it
 *                           before the primary serves it
 * @param healthCheckInterval how often replicas are checked (lag, recovery, reachability)
 * @param snapshotTimeout timeout of saving, loading and deleting a snapshot: a projection's whole
 *                        state, often megabytes, so usually longer than {@code defaultTimeout}
 * @param jsonLimits limits on the shape of payloads and metadata (nesting, number and key length);
 *                   by default what PostgreSQL's jsonb accepts ({@link JsonLimits#POSTGRESQL})
 * @param notifyInterval the shortest time between two notifications (PostgreSQL {@code NOTIFY},
 *                       sent after appends commit, outside their transactions) that wake other
 *                       processes' subscriptions; zero turns them off (those subscriptions then
 *                       poll)
 */
public record PostgresStoreConfig(
        String eventsTable,
        String snapshotsTable,
        int maxPayloadBytes,
        Duration defaultTimeout,
        int streamFetchSize,
        boolean createSchema,
        Duration maxReplicaLag,
        Duration readYourWritesWait,
        Duration healthCheckInterval,
        Duration snapshotTimeout,
        JsonLimits jsonLimits,
        Duration notifyInterval,
        List<String> indexedKeys) {
    /** The longest duration any setting accepts: deadlines are computed in nanoseconds. */
    private static final Duration LONGEST = Duration.ofDays(1);

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    /** The catalogue of settings: name, default and description, for documentation and CLI help. */
    public enum Setting {
        /** See {@link PostgresStoreConfig#eventsTable()}. */
        EVENTS_TABLE(
                "eventsTable",
                PostgresStoreConfig::eventsTable,
                (fields, text) -> fields.eventsTable = text.trim(),
                "name of the events table: lowercase letters, digits, _; at most 40"),
        /** See {@link PostgresStoreConfig#snapshotsTable()}. */
        SNAPSHOTS_TABLE(
                "snapshotsTable",
                PostgresStoreConfig::snapshotsTable,
                (fields, text) -> fields.snapshotsTable = text.trim(),
                "name of the snapshots table"),
        /** See {@link PostgresStoreConfig#maxPayloadBytes()}. */
        MAX_PAYLOAD_BYTES(
                "maxPayloadBytes",
                PostgresStoreConfig::maxPayloadBytes,
                (fields, text) -> fields.maxPayloadBytes = SettingText.integer(text),
                "largest payload or metadata accepted, in UTF-8 bytes"),
        /** See {@link PostgresStoreConfig#defaultTimeout()}. */
        DEFAULT_TIMEOUT(
                "defaultTimeout",
                PostgresStoreConfig::defaultTimeout,
                (fields, text) -> fields.defaultTimeout = SettingText.duration(text),
                "timeout of an operation that does not set its own"),
        /** See {@link PostgresStoreConfig#streamFetchSize()}. */
        STREAM_FETCH_SIZE(
                "streamFetchSize",
                PostgresStoreConfig::streamFetchSize,
                (fields, text) -> fields.streamFetchSize = SettingText.integer(text),
                "rows per round trip when streaming a large result"),
        /** See {@link PostgresStoreConfig#createSchema()}. */
        CREATE_SCHEMA(
                "createSchema",
                PostgresStoreConfig::createSchema,
                (fields, text) -> fields.createSchema = SettingText.bool(text),
                "create tables, indexes and functions on start if missing"),
        /** See {@link PostgresStoreConfig#maxReplicaLag()}. */
        MAX_REPLICA_LAG(
                "maxReplicaLag",
                PostgresStoreConfig::maxReplicaLag,
                (fields, text) -> fields.maxReplicaLag = SettingText.duration(text),
                "a replica further behind gets no EVENTUAL reads until it catches up"),
        /** See {@link PostgresStoreConfig#readYourWritesWait()}. */
        READ_YOUR_WRITES_WAIT(
                "readYourWritesWait",
                PostgresStoreConfig::readYourWritesWait,
                (fields, text) -> fields.readYourWritesWait = SettingText.duration(text),
                "how long a read with a commit token waits for a replica"),
        /** See {@link PostgresStoreConfig#healthCheckInterval()}. */
        HEALTH_CHECK_INTERVAL(
                "healthCheckInterval",
                PostgresStoreConfig::healthCheckInterval,
                (fields, text) -> fields.healthCheckInterval = SettingText.duration(text),
                "how often replicas are checked"),
        /** See {@link PostgresStoreConfig#snapshotTimeout()}. */
        SNAPSHOT_TIMEOUT(
                "snapshotTimeout",
                PostgresStoreConfig::snapshotTimeout,
                (fields, text) -> fields.snapshotTimeout = SettingText.duration(text),
                "timeout of saving, loading or deleting a snapshot (a whole projection state)"),
        /** See {@link PostgresStoreConfig#jsonLimits()}. */
        JSON_LIMITS(
                "jsonLimits",
                PostgresStoreConfig::jsonLimits,
                (fields, text) -> fields.jsonLimits = SettingText.jsonLimits(text),
                "limits on nesting, number and key length of payloads and metadata (default: what jsonb accepts)"),
        /** See {@link PostgresStoreConfig#notifyInterval()}. */
        NOTIFY_INTERVAL(
                "notifyInterval",
                PostgresStoreConfig::notifyInterval,
                (fields, text) -> fields.notifyInterval = SettingText.duration(text),
                "shortest time between two notifications that wake other processes' subscriptions; 0 for none"),
        /** See {@link PostgresStoreConfig#indexedKeys()}. */
        INDEXED_KEYS(
                "indexedKeys",
                PostgresStoreConfig::indexedKeys,
                (fields, text) -> fields.indexedKeys = SettingText.list(text),
                "payload keys that name entities, each with an index of its events in order; comma-separated");

        private final String key;
        private final Function<PostgresStoreConfig, Object> read;
        private final BiConsumer<ConfigFields, String> parse;
        private final String description;

        Setting(
                String key,
                Function<PostgresStoreConfig, Object> read,
                BiConsumer<ConfigFields, String> parse,
                String description) {
            this.key = key;
            this.read = read;
            this.parse = parse;
            this.description = description;
        }

        /** @return the setting's name in kebab case ({@code events-table}), also accepted in properties */
        public String kebabKey() {
            return SettingText.kebab(key);
        }

        /** @return the setting's name */
        public String key() {
            return key;
        }

        /**
         * @return the default, as a property would write it (and {@link #fromProperties} reads it
         *     back): read from {@link #defaults()}, the one source of defaults
         */
        public String defaultValue() {
            return SettingText.text(read.apply(defaults()));
        }

        /** Parses a property's text into the field of this setting. */
        void parse(ConfigFields fields, String text) {
            parse.accept(fields, text);
        }

        /**
         * @param config a configuration
         * @return this setting's value in it
         */
        public Object valueIn(PostgresStoreConfig config) {
            return read.apply(config);
        }

        /** @return what the setting does */
        public String description() {
            return description;
        }
    }

    /**
     * Validates every field and reports every problem together.
     *
     * @param eventsTable name of the events table (unqualified; the connection's search_path decides the schema)
     * @param snapshotsTable name of the snapshots table
     * @param maxPayloadBytes largest accepted payload or metadata, in UTF-8 bytes
     * @param defaultTimeout timeout of an operation that does not give its own
     * @param streamFetchSize rows fetched per round trip by {@link io.dcbstore.EventStore#stream}
     * @param createSchema whether {@link PostgresEventStore} creates its tables on start
     * @param maxReplicaLag a replica further behind than this gets no EVENTUAL reads
     * @param readYourWritesWait how long a read with a commit token waits for a replica to replay it before the primary serves it
     * @param healthCheckInterval how often replicas are checked (lag, recovery, reachability)
     * @param snapshotTimeout timeout of saving, loading and deleting a snapshot: a projection's whole state, often megabytes, so usually longer than {@code defaultTimeout}
     * @param jsonLimits limits on the shape of payloads and metadata (nesting, number and key length); by default what PostgreSQL's jsonb accepts ({@link JsonLimits#POSTGRESQL})
     * @param notifyInterval the shortest time between two notifications (PostgreSQL {@code NOTIFY}, sent after appends commit, outside their transactions) that wake other processes' subscriptions; zero turns them off (those subscriptions then poll)
     * @param indexedKeys payload keys that name entities ({@code BookID}): each gets a btree index of its string values and the sequence number, so a read of one entity's events after a position, and the append's check, visit only those events instead of the entity's whole history; sorted, distinct, at most 8
     */
    public PostgresStoreConfig {
        List<String> problems = new ArrayList<>();
        checkIdentifier(problems, "eventsTable", eventsTable);
        checkIdentifier(problems, "snapshotsTable", snapshotsTable);
        if (eventsTable != null && eventsTable.equals(snapshotsTable)) {
            problems.add("eventsTable and snapshotsTable must differ");
        }
        if (maxPayloadBytes < 2 || maxPayloadBytes > 256 * 1024 * 1024) {
            problems.add("maxPayloadBytes must be between 2 and 268435456, got " + maxPayloadBytes);
        }
        checkPositive(problems, "defaultTimeout", defaultTimeout);
        if (streamFetchSize < 1) {
            problems.add("streamFetchSize must be positive, got " + streamFetchSize);
        }
        checkPositive(problems, "maxReplicaLag", maxReplicaLag);
        checkPositive(problems, "readYourWritesWait", readYourWritesWait);
        checkPositive(problems, "healthCheckInterval", healthCheckInterval);
        checkPositive(problems, "snapshotTimeout", snapshotTimeout);
        if (jsonLimits == null) {
            problems.add("jsonLimits must not be null");
        }
        if (notifyInterval == null || notifyInterval.isNegative()) {
            problems.add("notifyInterval must not be negative, got " + notifyInterval);
        } else if (notifyInterval.compareTo(LONGEST) > 0) {
            problems.add("notifyInterval must be at most " + LONGEST + ", got " + notifyInterval);
        }
        indexedKeys = SettingText.indexedKeys(problems, indexedKeys);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /** @return the defaults: the one source of every setting's default ({@link Setting#defaultValue()} reads it) */
    public static PostgresStoreConfig defaults() {
        return new PostgresStoreConfig(
                "events",
                "event_snapshots",
                1024 * 1024,
                Duration.ofSeconds(5),
                1000,
                true,
                Duration.ofSeconds(2),
                Duration.ofMillis(200),
                Duration.ofMillis(250),
                Duration.ofSeconds(30),
                JsonLimits.POSTGRESQL,
                Duration.ofMillis(20),
                List.of());
    }

    /**
     * Reads a configuration from properties: each {@link Setting} as {@code prefix + key}, in camel
     * case ({@code dcb.defaultTimeout}) or kebab case ({@code dcb.default-timeout}); a setting not
     * given keeps its default. Durations are written with a unit ({@code 500ms}, {@code 2s},
     * {@code 1m}, {@code 1h}), as {@code 0}, or in ISO-8601; JSON limits as {@code postgresql} or
     * {@code nesting=N,number=N,key=N}. Other properties are ignored.
     *
     * @param properties the properties, for example read from a file
     * @param prefix what every key starts with, for example {@code dcb.}; may be empty
     * @return the configuration
     * @throws InvalidInputException naming every property that cannot be read or is out of range
     */
    public static PostgresStoreConfig fromProperties(Map<String, String> properties, String prefix) {
        return ConfigProperties.read(properties, prefix);
    }

    /**
     * @param maxLag a replica further behind gets no EVENTUAL reads
     * @param tokenWait how long a read with a commit token waits for a replica
     * @param checkInterval how often replicas are checked
     * @return a copy with other replica routing settings
     */
    public PostgresStoreConfig withReplicaRouting(Duration maxLag, Duration tokenWait, Duration checkInterval) {
        return with(copy -> {
            copy.maxReplicaLag = maxLag;
            copy.readYourWritesWait = tokenWait;
            copy.healthCheckInterval = checkInterval;
        });
    }

    /**
     * @param events the events table's name
     * @param snapshots the snapshots table's name
     * @return a copy with other table names
     */
    public PostgresStoreConfig withTables(String events, String snapshots) {
        return with(copy -> {
            copy.eventsTable = events;
            copy.snapshotsTable = snapshots;
        });
    }

    /**
     * @param bytes the largest payload or metadata accepted, in UTF-8 bytes
     * @return a copy with another payload limit
     */
    public PostgresStoreConfig withMaxPayloadBytes(int bytes) {
        return with(copy -> copy.maxPayloadBytes = bytes);
    }

    /**
     * @param timeout the timeout
     * @return a copy with another default timeout
     */
    public PostgresStoreConfig withDefaultTimeout(Duration timeout) {
        return with(copy -> copy.defaultTimeout = timeout);
    }

    /**
     * @param timeout the timeout
     * @return a copy with another timeout for snapshot operations
     */
    public PostgresStoreConfig withSnapshotTimeout(Duration timeout) {
        return with(copy -> copy.snapshotTimeout = timeout);
    }

    /**
     * @param rows rows per round trip when streaming
     * @return a copy with another stream fetch size
     */
    public PostgresStoreConfig withStreamFetchSize(int rows) {
        return with(copy -> copy.streamFetchSize = rows);
    }

    /**
     * @param limits the limits on nesting, number and key length
     * @return a copy with other limits on the shape of payloads and metadata
     */
    public PostgresStoreConfig withJsonLimits(JsonLimits limits) {
        return with(copy -> copy.jsonLimits = limits);
    }

    /**
     * @param interval the shortest time between two notifications; zero for none
     * @return a copy with another shortest time between notifications of appends (zero: none)
     */
    public PostgresStoreConfig withNotifyInterval(Duration interval) {
        return with(copy -> copy.notifyInterval = interval);
    }

    /**
     * @param keys payload keys that name entities, such as {@code BookID}: letters, digits, _
     * @return a copy that indexes each key's events in order (created with the schema, or required)
     */
    public PostgresStoreConfig withIndexedKeys(String... keys) {
        return with(copy -> copy.indexedKeys = keys == null ? null : Arrays.asList(keys));
    }

    /**
     * @param create whether to create the schema on start
     * @return a copy that does or does not create the schema on start
     */
    public PostgresStoreConfig withCreateSchema(boolean create) {
        return with(copy -> copy.createSchema = create);
    }

    /** A copy with some fields changed, validated like any configuration. */
    private PostgresStoreConfig with(Consumer<ConfigFields> change) {
        ConfigFields copy = new ConfigFields(this);
        change.accept(copy);
        return copy.build();
    }

    private static void checkPositive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, got " + value);
        } else if (value.compareTo(LONGEST) > 0) {
            problems.add(name + " must be at most " + LONGEST + ", got " + value);
        }
    }

    private static void checkIdentifier(List<String> problems, String name, String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            problems.add(name + " must match " + IDENTIFIER.pattern() + ", got '" + value + "'");
        }
    }
}
