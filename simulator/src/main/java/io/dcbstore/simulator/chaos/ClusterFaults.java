package io.dcbstore.simulator.chaos;

import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import java.util.Map;

/** Carries out chaos actions on servers; the embedded cluster's, or a test's. */
@FunctionalInterface
public interface ClusterFaults {
    /**
     * Carries out the action and returns when it is done: the server is down (no process left),
     * or up and accepting connections.
     *
     * @param action what to do
     */
    void apply(ChaosAction action);

    /**
     * @param cluster an embedded primary and at least one replica (the first is the one acted on)
     * @return faults on it: a fast shutdown of the replica, SIGKILL of the primary's postmaster,
     *     and restarts on the same data directories with the same settings
     */
    static ClusterFaults of(EmbeddedCluster cluster) {
        if (cluster.replicas().isEmpty()) {
            throw new IllegalArgumentException("--chaos needs the embedded cluster's replica");
        }
        EmbeddedPostgres primary = cluster.primary();
        EmbeddedPostgres replica = cluster.replicas().get(0);
        return action -> {
            switch (action) {
                case STOP_REPLICA -> replica.stopServer();
                case START_REPLICA -> replica.startServer(Map.of());
                case KILL_PRIMARY -> primary.kill();
                case START_PRIMARY -> primary.startServer(Map.of());
            }
        };
    }
}
