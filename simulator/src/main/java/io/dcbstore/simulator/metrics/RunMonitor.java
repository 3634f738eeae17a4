package io.dcbstore.simulator.metrics;

import io.dcbstore.simulator.report.CpuReport;
import io.dcbstore.simulator.report.LatencyWindow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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

    /**
     * One measured run being watched: {@link #end} it, and close it (which stops the sampling if
     * the run failed). The servers' activity and the CPU times are read once a second.
     */
    public final class Run implements AutoCloseable {
        private final long startNanos = System.nanoTime();
        private final List<CpuMeter.Reading> cpuReadings = new CopyOnWriteArrayList<>(List.of(cpu.read()));
        private final ServerActivity serverActivity =
                ServerActivity.start(servers, activities, () -> cpuReadings.add(cpu.read()));

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
            serverActivity.close();
            cpuReadings.add(cpu.read());
            CpuMeter.Reading first = cpuReadings.get(0);
            CpuMeter.Reading last = cpuReadings.get(cpuReadings.size() - 1);
            return new Observed(
                    startNanos,
                    activities.between(startNanos, last.nanoTime()),
                    cpu.between(first, last, requests),
                    cpuReadings);
        }

        /** Stops sampling the servers, if {@link #end} did not. */
        @Override
        public void close() {
            serverActivity.close();
        }
    }

    /** What a run saw besides its requests: see {@link #windows} and {@link #cpu}. */
    public final class Observed {
        private final long startNanos;
        private final List<Activity> activities;
        private final CpuReport cpu;
        private final List<CpuMeter.Reading> cpuReadings;

        private Observed(
                long startNanos, List<Activity> activities, CpuReport cpu, List<CpuMeter.Reading> cpuReadings) {
            this.startNanos = startNanos;
            this.activities = List.copyOf(activities);
            this.cpu = cpu;
            this.cpuReadings = List.copyOf(cpuReadings);
        }

        /** @return the CPU per process and per request over the whole run */
        public CpuReport cpu() {
            return cpu;
        }

        /** @return what ran, in the order it ended */
        public List<Activity> activities() {
            return activities;
        }

        /**
         * @param windows the run's windows, in seconds since it started
         * @return them with the activities that overlapped each and the cores each process kept busy
         */
        public List<LatencyWindow> windows(List<LatencyWindow> windows) {
            return ActivityLog.attribute(windows, activities, startNanos).stream()
                    .map(window -> window.withCpuCores(cpuCores(
                            startNanos + window.fromS() * 1_000_000_000L, startNanos + window.toS() * 1_000_000_000L)))
                    .toList();
        }

        /** The cores busy between the readings nearest to the two times (read once a second). */
        private Map<String, Double> cpuCores(long fromNanos, long toNanos) {
            CpuMeter.Reading from = nearest(fromNanos);
            CpuMeter.Reading to = nearest(toNanos);
            return from == to ? Map.of() : RunMonitor.this.cpu.cores(from, to);
        }

        private CpuMeter.Reading nearest(long nanos) {
            return cpuReadings.stream()
                    .min(Comparator.comparingLong(reading -> Math.abs(reading.nanoTime() - nanos)))
                    .orElseThrow();
        }
    }

    /** Stops listening to the JVM's collectors. */
    @Override
    public void close() {
        gcPauses.close();
    }
}
