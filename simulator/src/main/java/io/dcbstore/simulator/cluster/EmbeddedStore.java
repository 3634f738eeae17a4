package io.dcbstore.simulator.cluster;

import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import java.util.Map;

/**
 * An embedded primary with an optional streaming replica, and the {@link ConnectedStore} on them;
 * closing it closes the store and its pools, then stops the servers.
 */
public final class EmbeddedStore implements AutoCloseable {
    private final EmbeddedCluster cluster;
    private final ConnectedStore connected;

    private EmbeddedStore(EmbeddedCluster cluster, ConnectedStore connected) {
        this.cluster = cluster;
        this.connected = connected;
    }

    /**
     * Starts a primary alone.
     *
     * @param primarySettings the primary's settings
     * @param options how to connect
     * @return the running server and the store on it
     */
    public static EmbeddedStore primaryOnly(Map<String, String> primarySettings, ConnectedStore.Options options) {
        return start(0, primarySettings, Map.of(), options);
    }

    /**
     * Starts a primary and one streaming replica.
     *
     * @param primarySettings the primary's settings
     * @param replicaSettings the replica's settings
     * @param options how to connect
     * @return the running servers, the replica streaming, and the store on them
     */
    public static EmbeddedStore withReplica(
            Map<String, String> primarySettings, Map<String, String> replicaSettings, ConnectedStore.Options options) {
        return start(1, primarySettings, replicaSettings, options);
    }

    private static EmbeddedStore start(
            int replicas,
            Map<String, String> primarySettings,
            Map<String, String> replicaSettings,
            ConnectedStore.Options options) {
        EmbeddedCluster cluster = EmbeddedCluster.start(replicas, primarySettings, replicaSettings);
        try {
            String replicaUrl = replicas == 0 ? null : cluster.replicas().get(0).jdbcUrl("postgres");
            ConnectedStore.Servers servers = new ConnectedStore.Servers(
                    cluster.primary().jdbcUrl("postgres"), replicaUrl, EmbeddedPostgres.USER, "");
            return new EmbeddedStore(cluster, ConnectedStore.open(servers, options));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** @return the servers */
    public EmbeddedCluster cluster() {
        return cluster;
    }

    /** @return the store and its pools */
    public ConnectedStore connected() {
        return connected;
    }

    /** Closes the store and its pools, then stops the servers. */
    @Override
    public void close() {
        try {
            connected.close();
        } finally {
            cluster.close();
        }
    }
}
