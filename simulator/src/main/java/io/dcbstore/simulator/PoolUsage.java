package io.dcbstore.simulator;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Busy and open connections of the primary's and the replica's pools, now.
 *
 * @param primaryActive busy primary connections
 * @param primaryTotal open primary connections
 * @param replicaActive busy replica connections
 * @param replicaTotal open replica connections
 */
record PoolUsage(int primaryActive, int primaryTotal, int replicaActive, int replicaTotal) {
    /**
     * @param primary the primary's pool
     * @param replica the replica's pool, or {@code null}
     * @return their usage (zeros for a pool not started or absent)
     */
    static PoolUsage of(HikariDataSource primary, HikariDataSource replica) {
        HikariPoolMXBean primaryBean = primary.getHikariPoolMXBean();
        HikariPoolMXBean replicaBean = replica == null ? null : replica.getHikariPoolMXBean();
        return new PoolUsage(
                primaryBean == null ? 0 : primaryBean.getActiveConnections(),
                primaryBean == null ? 0 : primaryBean.getTotalConnections(),
                replicaBean == null ? 0 : replicaBean.getActiveConnections(),
                replicaBean == null ? 0 : replicaBean.getTotalConnections());
    }
}
