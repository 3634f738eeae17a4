package io.dcbstore.simulator.cluster;

import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPgBouncer;
import io.dcbstore.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An embedded primary with an optional streaming replica, and the {@link ConnectedStore} on them
 * (directly, or through a PgBouncer in transaction mode in front of each server); closing it closes
 * the store and its pools, then stops the poolers and the servers.
 */
public final class EmbeddedStore implements AutoCloseable {
    private final EmbeddedCluster cluster;
    private final ConnectedStore connected;
    private final List<EmbeddedPgBouncer> poolers;

    private EmbeddedStore(EmbeddedCluster cluster, ConnectedStore connected, List<EmbeddedPgBouncer> poolers) {
        this.cluster = cluster;
        this.connected = connected;
        this.poolers = List.copyOf(poolers);
    }

    /**
     * Starts a primary alone.
     *
     * @param primarySettings the primary's settings
     * @param options how to connect
     * @return the running server and the store on it
     */
    public static EmbeddedStore primaryOnly(Map<String, String> primarySettings, ConnectedStore.Options options) {
        return start(0, primarySettings, Map.of(), options, false);
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
        return start(1, primarySettings, replicaSettings, options, false);
    }

    /**
     * Starts a primary and one streaming replica, each behind a PgBouncer in transaction mode with
     * as many server connections as the store's pool for it has client connections; the store
     * connects through them with {@code prepareThreshold=0}.
     *
     * @param primarySettings the primary's settings
     * @param replicaSettings the replica's settings
     * @param options how to connect
     * @return the running servers and poolers, and the store on them
     * @throws IllegalStateException when this machine has no {@code pgbouncer} program
     */
    public static EmbeddedStore withReplicaThroughPgBouncer(
            Map<String, String> primarySettings, Map<String, String> replicaSettings, ConnectedStore.Options options) {
        return start(1, primarySettings, replicaSettings, options, true);
    }

    private static EmbeddedStore start(
            int replicas,
            Map<String, String> primarySettings,
            Map<String, String> replicaSettings,
            ConnectedStore.Options options,
            boolean throughPgBouncer) {
        EmbeddedCluster cluster = EmbeddedCluster.start(replicas, primarySettings, replicaSettings);
        List<EmbeddedPgBouncer> poolers = new ArrayList<>();
        try {
            String primaryUrl = cluster.primary().jdbcUrl("postgres");
            String replicaUrl = replicas == 0 ? null : cluster.replicas().get(0).jdbcUrl("postgres");
            if (throughPgBouncer) {
                primaryUrl = pooled(poolers, cluster.primary(), options.primaryPoolSize());
                replicaUrl = replicas == 0
                        ? null
                        : pooled(poolers, cluster.replicas().get(0), options.replicaPoolSize());
            }
            ConnectedStore.Servers servers =
                    new ConnectedStore.Servers(primaryUrl, replicaUrl, EmbeddedPostgres.USER, "");
            return new EmbeddedStore(cluster, ConnectedStore.open(servers, options), poolers);
        } catch (RuntimeException e) {
            poolers.forEach(EmbeddedPgBouncer::close);
            cluster.close();
            throw e;
        }
    }

    /** Starts a pooler in front of a server, for a pool of the given size; @return its URL */
    private static String pooled(List<EmbeddedPgBouncer> poolers, EmbeddedPostgres server, int clients) {
        EmbeddedPgBouncer pooler = EmbeddedPgBouncer.start(
                server.port(), EmbeddedPostgres.USER, EmbeddedPgBouncer.transactionMode(clients, false));
        poolers.add(pooler);
        return pooler.jdbcUrl("postgres");
    }

    /** @return the PgBouncers in front of the servers (primary's first), empty when connected directly */
    public List<EmbeddedPgBouncer> poolers() {
        return poolers;
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
            try {
                poolers.forEach(EmbeddedPgBouncer::close);
            } finally {
                cluster.close();
            }
        }
    }
}
