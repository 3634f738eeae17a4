package io.dcbstore.simulator.chaos;

import io.dcbstore.EventStore;
import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.report.AppendAuditReport;
import io.dcbstore.simulator.report.ChaosReport;
import io.dcbstore.simulator.report.OutageReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The faults of one simulation ({@code --chaos}): the store wrapper that keeps every acknowledged
 * append, the schedule carried out during the measured run ({@link #begin}, {@link Run#end}), and
 * the check of the log after it ({@link #audit}).
 */
public final class Chaos {
    private final ChaosSchedule schedule;
    private final ClusterFaults faults;
    private final AcknowledgedAppends acknowledged = new AcknowledgedAppends();
    private final LongSupplier replicaReads;
    private final long logHead;
    private final PrintStream out;

    /**
     * @param schedule what to do when
     * @param faults carries out the actions
     * @param replicaReads counts reads the replica served (only grows): its recovery probe
     * @param logHead the log's highest sequence number before the load (0 for an empty log)
     * @param out where actions are announced
     */
    public Chaos(
            ChaosSchedule schedule, ClusterFaults faults, LongSupplier replicaReads, long logHead, PrintStream out) {
        this.schedule = schedule;
        this.faults = faults;
        this.replicaReads = replicaReads;
        this.logHead = logHead;
        this.out = out;
    }

    /**
     * @param store the real store
     * @return the store that the load must use, so that its acknowledged appends are kept
     */
    public EventStore acknowledging(EventStore store) {
        return new AcknowledgingEventStore(store, acknowledged);
    }

    /**
     * Starts the schedule; call just before the measured load starts.
     *
     * @param measurements the run's measurements, whose failures are counted per outage
     * @param runStartNanos when the measured run starts (System.nanoTime)
     * @param timeout the request timeout: requests started in an outage finish up to this much after it
     * @return the running schedule
     */
    public Run begin(Measurements measurements, long runStartNanos, Duration timeout) {
        FailureLog failures = new FailureLog(System::nanoTime);
        measurements.observe(failures);
        ChaosRunner runner = new ChaosRunner(
                schedule,
                faults,
                Map.of(ChaosAction.Server.PRIMARY, acknowledged::appends, ChaosAction.Server.REPLICA, replicaReads),
                out);
        runner.start(runStartNanos);
        return new Run(runner, failures, runStartNanos, timeout.toNanos());
    }

    /**
     * Reads the whole log and checks it against the acknowledged appends; call after the run.
     *
     * @param store the real store
     * @return what was lost and what was doubled
     */
    public AppendAuditReport audit(EventStore store) {
        return AppendAudit.check(store, acknowledged, logHead);
    }

    /** The schedule, running. */
    public static final class Run {
        private final ChaosRunner runner;
        private final FailureLog failures;
        private final long runStart;
        private final long timeoutNanos;

        private Run(ChaosRunner runner, FailureLog failures, long runStart, long timeoutNanos) {
            this.runner = runner;
            this.failures = failures;
            this.runStart = runStart;
            this.timeoutNanos = timeoutNanos;
        }

        /**
         * Stops the schedule (restarting any server still down) and reports the outages.
         *
         * @return the schedule and its outages, without the audit yet
         * @throws ChaosActionFailedException when an action failed
         */
        public ChaosReport end() {
            List<OutageReport> outages = new ArrayList<>();
            for (Outage outage : runner.finish()) {
                long windowEnd =
                        (outage.recoveredAt == Outage.NOT_YET ? System.nanoTime() : outage.recoveredAt) + timeoutNanos;
                FailureLog.Counts failed = failures.count(outage.downAt, windowEnd);
                outages.add(new OutageReport(
                        outage.down.action().server().name().toLowerCase(Locale.ROOT),
                        outage.down.action().key(),
                        seconds(outage.downAt),
                        seconds(outage.restartAt),
                        seconds(outage.upAt),
                        seconds(outage.recoveredAt),
                        millisBetween(outage.restartAt, outage.recoveredAt),
                        millisBetween(outage.downAt, outage.recoveredAt),
                        failed.total(),
                        failed.errors(),
                        failed.timeouts(),
                        failed.shed()));
            }
            return new ChaosReport(runner.schedule().toString(), outages, null);
        }

        private double seconds(long nanos) {
            return nanos == Outage.NOT_YET ? -1 : (nanos - runStart) / 1e9;
        }

        private static double millisBetween(long from, long to) {
            return from == Outage.NOT_YET || to == Outage.NOT_YET ? -1 : (to - from) / 1e6;
        }
    }
}
