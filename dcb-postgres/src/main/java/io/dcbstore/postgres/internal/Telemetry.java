package io.dcbstore.postgres.internal;

import io.dcbstore.postgres.ReplicaStatus;
import io.dcbstore.postgres.StatementStatistics;
import java.util.List;
import java.util.function.Supplier;

/**
 * The engine's seam to metrics and tracing, like HikariCP's metrics tracker: the store calls it,
 * {@link #NONE} records nothing and loads no Micrometer class, {@link MicrometerTelemetry} records
 * through the registries the user gave. Users never see this type; they give the store Micrometer's
 * own {@code MeterRegistry} and {@code ObservationRegistry}.
 */
public interface Telemetry {
    /** Records nothing. */
    Telemetry NONE = new Telemetry() {};

    /** What a store call does, as a tag. */
    enum Operation {
        QUERY("query"),
        STREAM("stream"),
        APPEND("append"),
        SNAPSHOT_LOAD("snapshot_load"),
        SNAPSHOT_SAVE("snapshot_save"),
        SNAPSHOT_DELETE("snapshot_delete");

        private final String tag;

        Operation(String tag) {
            this.tag = tag;
        }

        /** @return the tag value */
        public String tag() {
            return tag;
        }
    }

    /**
     * @param operation what starts
     * @return the call to report to and close; {@link StoreCall#NONE} when nothing records
     */
    default StoreCall start(Operation operation) {
        return StoreCall.NONE;
    }

    /** @param reason why a read that could have gone to a replica went to the primary */
    default void fallback(ReadFallback reason) {}

    /**
     * @param hit whether a snapshot was found
     * @param size its state's length in characters, 0 on a miss
     */
    default void snapshotLoaded(boolean hit, int size) {}

    /**
     * @param written whether it became the saved one (else a newer one was kept)
     * @param size its state's length in characters
     */
    default void snapshotSaved(boolean written, int size) {}

    /** @param deleted whether one was deleted */
    default void snapshotDeleted(boolean deleted) {}

    /**
     * Registers gauges that read the store's state when scraped.
     *
     * @param replicas the last known state of every replica
     * @param statements the counters of the store's SQL
     */
    default void watch(Supplier<List<ReplicaStatus>> replicas, Supplier<StatementStatistics> statements) {}
}
