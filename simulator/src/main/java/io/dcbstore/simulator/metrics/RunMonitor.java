package io.dcbstore.simulator.metrics;

import io.dcbstore.simulator.report.CpuReport;
import java.util.List;

/**
 * What a simulation watches besides its requests: the JVM's GC pauses and the library's snapshot
 * saves (all along, into one {@link ActivityLog}), and for each measured run the servers' activity
 * (autovacuum, checkpoints, long transactions: sampled once a second) and the CPU time of each
 * process. Closing it stops the GC listener.
 */
public final class RunMonitor implements AutoCloseable {
    private final ActivityLog activities = new ActivityLog();
    private final GcPauses gcPauses = new GcPauses(activities);
    private final List<ServerActivity.Server> servers;
    private final CpuMeter cpu;

    /**
     * @param servers the servers to sample for activity (primary first)
     * @param cpu reads the CPU time of the JVM and of the servers it can see
     */
    public RunMonitor(List<ServerActivity.Server> servers, CpuMeter cpu) {
        this.servers = List.copyOf(servers);
        this.cpu = cpu;
    }

    /** @return where snapshot saves go ({@link io.dcbstore.simulator.load.TimedEventStore}) */
    public ActivityLog activities() {
        return activities;
    }

    /** @return a run being watched, from now: start the load right after */
    public Run begin() {
        return new Run();
    }

    /** One measured run being watched: {@link #end} it, and close it (which stops the sampling if the run failed). */
    public final class Run implements AutoCloseable {
        private final long startNanos = System.nanoTime();
        private final CpuMeter.Reading cpuAtStart = cpu.read();
        private final ServerActivity serverActivity = ServerActivity.start(servers, activities);

        private Run() {}

        /** @return when it started ({@link System#nanoTime}): second 0 of its windows */
        public long startNanos() {
            return startNanos;
        }

        /**
         * Stops sampling the servers and reads the CPU times again.
         *
         * @param requests requests the run finished (shed ones not counted)
         * @return what ran during the run, and the CPU it took
         */
        public Observed end(long requests) {
            CpuMeter.Reading cpuAtEnd = cpu.read();
            serverActivity.close();
            return new Observed(
                    activities.between(startNanos, cpuAtEnd.nanoTime()), cpu.between(cpuAtStart, cpuAtEnd, requests));
        }

        /** Stops sampling the servers, if {@link #end} did not. */
        @Override
        public void close() {
            serverActivity.close();
        }
    }

    /**
     * What a run saw besides its requests.
     *
     * @param activities what ran, in the order it ended
     * @param cpu the CPU per process and per request
     */
    public record Observed(List<Activity> activities, CpuReport cpu) {
        /** Copies the activities. */
        public Observed {
            activities = List.copyOf(activities);
        }
    }

    /** Stops listening to the JVM's collectors. */
    @Override
    public void close() {
        gcPauses.close();
    }
}
