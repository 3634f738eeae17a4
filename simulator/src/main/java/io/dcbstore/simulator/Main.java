package io.dcbstore.simulator;

import io.dcbstore.simulator.bench.PoolerBenchmark;
import io.dcbstore.simulator.bench.ReplicaBenchmark;
import io.dcbstore.simulator.bench.StoreBenchmark;
import io.dcbstore.simulator.bench.StoryBenchmark;
import io.dcbstore.simulator.bench.SubscriptionBenchmark;
import io.dcbstore.simulator.cluster.ConnectedStore;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code ./simulate}: the load simulator. By default it starts an embedded primary and replica,
 * seeds a library, runs for 60 s at 500 req/s, prints a live line every second and writes a
 * report. Exit codes (listed in {@code --help}): 0 done, 1 a check failed (an invariant, or the
 * log's acknowledged appends after {@code --chaos}), 2 invalid options, 3 the run failed.
 * The benchmarks are subcommands ({@code ./simulate bench-store}).
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = SimulatorVersion.class,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:a check failed: an invariant was violated (--check-invariants, --chaos), or an acknowledged append was lost or doubled (--chaos)",
            "2:invalid options",
            "3:the run failed (one line says why; --verbose prints the stack trace)"
        },
        subcommands = {
            StoreBenchmark.class,
            ReplicaBenchmark.class,
            SubscriptionBenchmark.class,
            MixBenchmark.class,
            GrowthBenchmark.class,
            PoolerBenchmark.class,
            StoryBenchmark.class,
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

    /** Whether a failed run prints its stack trace; the subcommands take it too. */
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "when the run fails, print the stack trace under the one-line reason")
    boolean verbose;

    /**
     * A test seam, not an option: runs on the store after the measured run and before its checks
     * (see {@link Simulation}), so that a test can break the log and see the run exit 1.
     */
    Consumer<ConnectedStore> beforeChecks = servers -> {};

    @Override
    public Integer call() throws Exception {
        SimulationConfig config = options.toConfig();
        return new Simulation(config, System.out, beforeChecks).run();
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line, with the exit codes documented on this class */
    static CommandLine commandLine() {
        return commandLine(new Main());
    }

    /**
     * @param main the command (a test may set its {@link #beforeChecks} seam first)
     * @return the command line of {@code main}, with the exit codes documented on this class
     */
    static CommandLine commandLine(Main main) {
        CommandLine commandLine = new CommandLine(main);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            boolean verbose = verbose(parseResult);
            line.getErr().println(FailureLine.of(line.getCommandName(), exception, verbose));
            if (verbose) {
                exception.printStackTrace(line.getErr());
            }
            return FAILED;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine line = exception.getCommandLine();
            line.getErr().println(exception.getMessage());
            UnmatchedArgumentException.printSuggestions(exception, line.getErr());
            line.getErr().println("Run '" + line.getCommandSpec().qualifiedName() + " --help' for the options.");
            return line.getCommandSpec().exitCodeOnInvalidInput();
        });
        return commandLine;
    }

    /** The exit code of a run that failed (not of one whose checks failed: that is 1). */
    static final int FAILED = 3;

    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult command = parseResult; command != null; command = command.subcommand()) {
            if (command.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
