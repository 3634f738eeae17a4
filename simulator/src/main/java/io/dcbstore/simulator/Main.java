package io.dcbstore.simulator;

import io.dcbstore.simulator.bench.ReplicaBenchmark;
import io.dcbstore.simulator.bench.StoreBenchmark;
import io.dcbstore.simulator.bench.SubscriptionBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./simulate}: the load simulator. By default it starts an embedded primary and replica,
 * seeds a library, runs for 60 s at 500 req/s, prints a live line every second and writes a
 * report. Exit codes: 0 done, 1 an invariant was violated, 2 invalid options, 3 the run failed.
 * The benchmarks are subcommands ({@code ./simulate bench-store}).
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        subcommands = {
            StoreBenchmark.class,
            ReplicaBenchmark.class,
            SubscriptionBenchmark.class,
            MixBenchmark.class,
            Serve.class
        },
        description = {
            "Drive the library domain at a target request rate against a PostgreSQL primary and replica,",
            "and report throughput, latency percentiles, errors, timeouts, conflicts, replication lag and where the time goes."
        })
public final class Main implements Callable<Integer> {
    /** The simulation's options (also those of {@code bench-mix}). */
    @Mixin
    SimulationOptions options = new SimulationOptions();

    @Override
    public Integer call() throws Exception {
        SimulationConfig config = options.toConfig();
        return new Simulation(config, System.out).run();
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line, with the exit codes documented on this class */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("simulation failed: " + exception);
            exception.printStackTrace(line.getErr());
            return 3;
        });
        return commandLine;
    }
}
