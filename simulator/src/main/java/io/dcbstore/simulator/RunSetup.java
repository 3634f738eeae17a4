package io.dcbstore.simulator;

import io.dcbstore.simulator.chaos.Chaos;
import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.load.LoadGenerator;
import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.Workload;
import io.dcbstore.simulator.metrics.RunMonitor;
import io.dcbstore.simulator.metrics.SimulatorMeters;
import java.io.PrintStream;

/**
 * What every load a simulation sends shares: the warm-up, a measured run, each step of a
 * find-max run.
 *
 * @param config the settings
 * @param servers the store and its pools
 * @param workload the requests
 * @param statementTimes whether {@code pg_stat_statements} is available, so that database time is measured
 * @param out where to print progress
 * @param meters where every finished request and the target rate also go, or null
 * @param chaos the faults to cause during the measured run ({@code --chaos}), or null
 * @param monitor what ran besides the requests (GC, autovacuum, checkpoints, snapshot saves) and the CPU of each process
 */
record RunSetup(
        SimulationConfig config,
        ConnectedStore servers,
        Workload workload,
        boolean statementTimes,
        PrintStream out,
        SimulatorMeters meters,
        Chaos chaos,
        RunMonitor monitor) {
    /**
     * @param measurements where the load's results go
     * @return a load generator with the configured workers, timeout and queue policy
     */
    LoadGenerator loadGenerator(Measurements measurements) {
        LoadGenerator generator = new LoadGenerator(
                workload,
                measurements,
                config.workers(),
                config.timeout(),
                config.queuePolicy(),
                LoadGenerator.Clock.SYSTEM);
        if (meters != null) {
            measurements.observe(meters);
            generator.observeRate(meters::targetRate);
        }
        return generator;
    }
}
