package io.dcbstore.simulator;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.cluster.EmbeddedStore;
import io.dcbstore.simulator.load.TimedDataSource;
import io.dcbstore.simulator.metrics.CpuMeter;
import io.dcbstore.simulator.metrics.Observability;
import io.dcbstore.simulator.metrics.RunMonitor;
import io.dcbstore.simulator.metrics.ServerActivity;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers of a simulation: the existing ones named in the settings, or an embedded primary and
 * streaming replica started here; a pool per server (each timed) and the store on them. Closing it
 * stops everything it started.
 */
final class SimulationServers implements AutoCloseable {
    private final EmbeddedStore embedded;
    private final ConnectedStore connected;
    private final PrintStream out;

    private SimulationServers(EmbeddedStore embedded, ConnectedStore connected, PrintStream out) {
        this.embedded = embedded;
        this.connected = connected;
        this.out = out;
    }

    /**
     * @param config the settings: the servers, the pool size, the timeout
     * @param out where to say what was started
     * @param observability where the pools and the store record
     * @return the servers, connected
     */
    static SimulationServers open(SimulationConfig config, PrintStream out, Observability observability) {
        ConnectedStore.Options options = new ConnectedStore.Options(
                "sim",
                config.poolSize(),
                config.poolSize(),
                PostgresStoreConfig.defaults()
                        .withDefaultTimeout(config.timeout())
                        .withIndexedKeys(config.indexedKeys().toArray(String[]::new)),
                TimedDataSource::new,
                observability);
        if (config.primaryUrl() != null) {
            ConnectedStore.Servers servers = new ConnectedStore.Servers(
                    config.primaryUrl(), config.replicaUrl(), config.user(), config.password());
            return new SimulationServers(null, ConnectedStore.open(servers, options), out);
        }
        out.println("starting an embedded PostgreSQL primary and a streaming replica"
                + (config.pgbouncer() ? ", each behind PgBouncer in transaction mode..." : "..."));
        EmbeddedStore embedded = config.pgbouncer()
                ? EmbeddedStore.withReplicaThroughPgBouncer(primarySettings(config), replicaSettings(config), options)
                : EmbeddedStore.withReplica(primarySettings(config), replicaSettings(config), options);
        EmbeddedCluster cluster = embedded.cluster();
        out.printf(
                "primary on port %d, replica on port %d%n",
                cluster.primary().port(), cluster.replicas().get(0).port());
        return new SimulationServers(embedded, embedded.connected(), out);
    }

    /** The tuned primary settings, with the run's own settings over them. */
    private static Map<String, String> primarySettings(SimulationConfig config) {
        Map<String, String> settings = new LinkedHashMap<>(ServerSettings.primary("1GB"));
        settings.putAll(config.primarySettings());
        return settings;
    }

    /** The tuned replica settings, with the run's own settings over them. */
    private static Map<String, String> replicaSettings(SimulationConfig config) {
        Map<String, String> settings = new LinkedHashMap<>(ServerSettings.replica("512MB"));
        settings.putAll(config.replicaSettings());
        return settings;
    }

    /** @return the store and its pools */
    ConnectedStore connected() {
        return connected;
    }

    /**
     * @return a monitor of these servers: their activity sampled on connections of its own, and the
     *     CPU of the embedded ones (existing servers' CPU cannot be read from here)
     */
    RunMonitor monitor() {
        List<ServerActivity.Server> sampled = new ArrayList<>();
        sampled.add(activityOf("primary", connected.primaryPool()));
        if (connected.replicaPool() != null) {
            sampled.add(activityOf("replica", connected.replicaPool()));
        }
        if (embedded == null) {
            return new RunMonitor(
                    sampled,
                    new CpuMeter(
                            List.of(),
                            "server CPU not available: the servers are external (--primary-url), JVM only;"
                                    + " 'other' is the rest of this machine"));
        }
        List<CpuMeter.Server> measured = new ArrayList<>();
        measured.add(new CpuMeter.Server("primary", embedded.cluster().primary()::postmasterPid));
        embedded.cluster().replicas().stream()
                .limit(1)
                .forEach(replica -> measured.add(new CpuMeter.Server("replica", replica::postmasterPid)));
        return new RunMonitor(sampled, new CpuMeter(measured, ""));
    }

    private static ServerActivity.Server activityOf(String name, HikariDataSource pool) {
        return new ServerActivity.Server(name, pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
    }

    /** @return the embedded cluster, or {@code null} for existing servers */
    EmbeddedCluster cluster() {
        return embedded == null ? null : embedded.cluster();
    }

    @Override
    public void close() {
        if (embedded == null) {
            connected.close();
            return;
        }
        embedded.close();
        out.println("stopped the embedded primary and replica");
    }
}
