package io.dcbstore.simulator;

import io.dcbstore.simulator.bench.StoreBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./simulate}: the load simulator by default, and the benchmarks as
 * subcommands ({@code ./simulate bench-store}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, subcommands = {StoreBenchmark.class, Serve.class},
        description = "DCB event store: load simulator and benchmarks.")
public final class Main implements Runnable {
    private Main() {
    }

    @Override
    public void run() {
        Demo.run();
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        int exitCode = new CommandLine(new Main()).execute(args);
        System.exit(exitCode);
    }
}
