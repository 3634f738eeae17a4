package io.dcbstore.postgres;

import java.time.Duration;
import java.time.Instant;

/**
 * The last known state of one replica, as its health check saw it.
 *
 * @param name the replica's name
 * @param healthy whether EVENTUAL reads are routed to it now
 * @param inRecovery whether it is a standby (a node that is not cannot serve as a replica)
 * @param lagBytes how far its replay is behind the primary's WAL, in bytes (-1 when unknown)
 * @param lagTime how long ago it replayed the last transaction while behind (zero when caught up; -1 s when unknown)
 * @param replayPosition the WAL position it has replayed (an LSN as a number; -1 when unknown)
 * @param checkedAt when it was last checked ({@link Instant#EPOCH} before the first check)
 * @param problem why it is not healthy, or empty
 */
public record ReplicaStatus(
        String name,
        boolean healthy,
        boolean inRecovery,
        long lagBytes,
        Duration lagTime,
        long replayPosition,
        Instant checkedAt,
        String problem) {}
