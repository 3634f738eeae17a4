package io.dcbstore.simulator;

import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.ReplicaStatus;

/**
 * The largest replication lag over the store's replicas, now.
 *
 * @param millis in milliseconds
 * @param bytes in bytes of WAL
 */
record ReplicationLag(double millis, long bytes) {
    /**
     * @param store the store
     * @return the largest lag of its replicas (zero without replicas)
     */
    static ReplicationLag of(PostgresEventStore store) {
        double millis = 0;
        long bytes = 0;
        for (ReplicaStatus status : store.replicaStatus()) {
            millis = Math.max(millis, Math.max(0, status.lagTime().toMillis()));
            bytes = Math.max(bytes, Math.max(0, status.lagBytes()));
        }
        return new ReplicationLag(millis, bytes);
    }
}
