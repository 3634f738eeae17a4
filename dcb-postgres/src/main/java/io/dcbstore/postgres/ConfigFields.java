package io.dcbstore.postgres;

import io.dcbstore.JsonLimits;
import java.time.Duration;
import java.util.List;

/** The fields of a configuration being derived: the one place that lists them all. */
final class ConfigFields {
    String eventsTable;
    String snapshotsTable;
    int maxPayloadBytes;
    Duration defaultTimeout;
    int streamFetchSize;
    boolean createSchema;
    Duration maxReplicaLag;
    Duration readYourWritesWait;
    Duration healthCheckInterval;
    Duration snapshotTimeout;
    JsonLimits jsonLimits;
    Duration notifyInterval;
    List<String> indexedKeys;

    ConfigFields(PostgresStoreConfig from) {
        eventsTable = from.eventsTable();
        snapshotsTable = from.snapshotsTable();
        maxPayloadBytes = from.maxPayloadBytes();
        defaultTimeout = from.defaultTimeout();
        streamFetchSize = from.streamFetchSize();
        createSchema = from.createSchema();
        maxReplicaLag = from.maxReplicaLag();
        readYourWritesWait = from.readYourWritesWait();
        healthCheckInterval = from.healthCheckInterval();
        snapshotTimeout = from.snapshotTimeout();
        jsonLimits = from.jsonLimits();
        notifyInterval = from.notifyInterval();
        indexedKeys = from.indexedKeys();
    }

    static ConfigFields ofDefaults() {
        return new ConfigFields(PostgresStoreConfig.defaults());
    }

    PostgresStoreConfig build() {
        return new PostgresStoreConfig(
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
                jsonLimits,
                notifyInterval,
                indexedKeys);
    }
}
