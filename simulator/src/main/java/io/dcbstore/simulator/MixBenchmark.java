package io.dcbstore.simulator;

import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.simulator.bench.MixCeiling;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.metrics.Observability;
import io.dcbstore.simulator.metrics.RunMonitor;
import io.dcbstore.simulator.report.RunReport;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./simulate bench-mix}: the highest rate the database alone sustains for the statement mix
 * the simulator sends, measured with pgbench replaying the store's own SQL on the same servers the
 * simulation uses, seeded the same way; with {@code --find-max}, then the simulator's own
 * find-max on the same database, and the ratio of the two, from one run.
 */
@Command(
        name = "bench-mix",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The database's own ceiling for the simulator's statement mix: pgbench",
            "replays the SQL the store sent for sampled simulator requests (commands on",
            "the primary, queries on the replica), in requests/s of the mix. With",
            "--find-max, the simulator's find-max follows on the same database and the",
            "ratio of the two is printed. Takes the simulation's options (--events,",
            "--books, --readers, --max-staleness, --mix, --rate, --duration, --max-p99,",
            "...). Needs pgbench (apt-get install postgresql-client)."
        })
final class MixBenchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The simulation's options: the seeding, the mix, and the find-max that may follow. */
    @Mixin
    SimulationOptions simulation = new SimulationOptions();

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "seconds per pgbench round (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "pgbench rounds after a calibration of at most 10 s (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--clients",
            description = "pgbench clients per server (default: --pool-size, the simulator's connections per server)")
    Integer clients;

    @Option(
            names = "--sample",
            defaultValue = "5000",
            description =
                    "simulator requests sampled (run one at a time, recording what the store sends) (default ${DEFAULT-VALUE})")
    int sample;

    @Option(
            names = "--pgbench",
            defaultValue = "pgbench",
            description = "pgbench executable (default ${DEFAULT-VALUE})")
    String pgbench;

    @Override
    public Integer call() throws Exception {
        SimulationConfig config = simulation.toConfig();
        validate(config);
        MixCeiling.requirePgbench(pgbench);
        try (SimulationServers servers = SimulationServers.open(config, System.out, Observability.NONE);
                RunMonitor monitor = servers.monitor()) {
            HistorySeeding.seedIfEmpty(servers.connected(), config, System.out);
            MixCeiling.Settings settings = new MixCeiling.Settings(
                    pgbench,
                    clients == null ? config.poolSize() : clients,
                    seconds,
                    rounds,
                    sample,
                    config.seed() + 1,
                    config.mix(),
                    config.books(),
                    config.readers(),
                    Simulation.querySettings(config.maxStaleness(), config.snapshotEvery()));
            double ceiling = MixCeiling.measure(settings, urls(config, servers), servers.connected());
            if (config.findMax()) {
                System.out.println();
                System.out.println("## The simulator's find-max on the same database");
                RunReport report = new Simulation(config, System.out)
                        .load(servers.connected(), Observability.NONE, null, null, monitor);
                double found = report.findMax().maxSustainedRate();
                System.out.printf(
                        Locale.ROOT,
                        "%nSimulator find-max %,.0f req/s / database ceiling %,.0f req/s = %.2f%n",
                        found,
                        ceiling,
                        found / ceiling);
            }
        }
        return 0;
    }

    private void validate(SimulationConfig config) {
        if (config.chaos() != null || config.metricsPort() > 0 || config.tracing()) {
            throw new ParameterException(
                    spec.commandLine(), "bench-mix runs neither --chaos nor --metrics-port nor --tracing");
        }
        if (seconds < 1 || rounds < 1 || sample < 100 || (clients != null && clients < 1)) {
            throw new ParameterException(
                    spec.commandLine(), "--seconds, --rounds and --clients must be positive, --sample at least 100");
        }
    }

    private static ConnectedStore.Servers urls(SimulationConfig config, SimulationServers servers) {
        EmbeddedCluster cluster = servers.cluster();
        if (cluster == null) {
            return new ConnectedStore.Servers(
                    config.primaryUrl(), config.replicaUrl(), config.user(), config.password());
        }
        return new ConnectedStore.Servers(
                cluster.primary().jdbcUrl("postgres"),
                cluster.replicas().isEmpty() ? null : cluster.replicas().get(0).jdbcUrl("postgres"),
                EmbeddedPostgres.USER,
                "");
    }
}
