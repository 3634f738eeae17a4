package io.dcbstore.simulator.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run reports: the one model that {@code report.json} ({@link ReportJson}), the
 * HTML page and the console summary are made from. The overall figures stand at the top level of
 * the JSON, next to the rates.
 *
 * @param startedAt when the measured run started (ISO-8601)
 * @param targetRate the rate asked for
 * @param achievedRate requests finished (not shed) per second of the run's duration
 * @param durationSeconds measured seconds, including the drain of the last requests
 * @param overall all operations together
 * @param backpressure requests that started more than 10 ms late, plus those shed
 * @param lateStarts requests that started more than 10 ms late
 * @param pacingDelayMs how late the simulator's own pacing thread put requests in the queue
 * @param maxReplicationLagMs the largest replication lag seen
 * @param operations per operation, by name, in a stable order
 * @param databaseTime database execution per statement group and server
 * @param routing where reads went, and the store's statement statistics
 * @param snapshots query-side snapshot and cache statistics
 * @param environment machine and settings
 * @param findMax the steps of a {@code --find-max} run, or {@code null} (and left out of the JSON)
 * @param chaos the outages of a {@code --chaos} run and the check of its log, or {@code null} (and
 *     left out of the JSON)
 * @param steadiness the run's 10-second windows: their p99 next to the median window's, and what ran
 *     in each besides the requests; {@code null} (and left out of the JSON) when not measured
 * @param cpu the CPU per process and per request, or {@code null} (and left out of the JSON) when
 *     not measured
 * @param timeline one point per second; for a {@code --find-max} run every step's seconds, one step
 *     after another (each step's place is in {@link FindMaxStep}), while the figures are the best step's
 */
public record RunReport(
        String startedAt,
        double targetRate,
        @Rounded double achievedRate,
        @Rounded @JsonProperty("duration_s") double durationSeconds,
        @JsonUnwrapped Figures overall,
        long backpressure,
        long lateStarts,
        PacingDelay pacingDelayMs,
        @Rounded double maxReplicationLagMs,
        Map<String, OperationReport> operations,
        DatabaseTimeReport databaseTime,
        RoutingReport routing,
        SnapshotsReport snapshots,
        EnvironmentReport environment,
        @JsonInclude(JsonInclude.Include.NON_NULL) FindMaxReport findMax,
        @JsonInclude(JsonInclude.Include.NON_NULL) ChaosReport chaos,
        @JsonInclude(JsonInclude.Include.NON_NULL) Steadiness steadiness,
        @JsonInclude(JsonInclude.Include.NON_NULL) CpuReport cpu,
        List<TimelinePoint> timeline) {
    /** Keeps the operations' order and copies the timeline. */
    public RunReport {
        operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
        timeline = List.copyOf(timeline);
    }

    /**
     * @param steps the steps of a {@code --find-max} run
     * @return a copy that reports them
     */
    public RunReport withFindMax(FindMaxReport steps) {
        return withFindMax(steps, timeline);
    }

    /**
     * @param steps the steps of a {@code --find-max} run
     * @param allSteps the seconds of every step, one step after another
     * @return a copy that reports them
     */
    public RunReport withFindMax(FindMaxReport steps, List<TimelinePoint> allSteps) {
        return new RunReport(
                startedAt,
                targetRate,
                achievedRate,
                durationSeconds,
                overall,
                backpressure,
                lateStarts,
                pacingDelayMs,
                maxReplicationLagMs,
                operations,
                databaseTime,
                routing,
                snapshots,
                environment,
                steps,
                chaos,
                steadiness,
                cpu,
                allSteps);
    }

    /**
     * @param windows the run's windows and their summary
     * @param cpuUse the CPU per process and per request
     * @return a copy that reports them
     */
    public RunReport withWindowsAndCpu(Steadiness windows, CpuReport cpuUse) {
        return new RunReport(
                startedAt,
                targetRate,
                achievedRate,
                durationSeconds,
                overall,
                backpressure,
                lateStarts,
                pacingDelayMs,
                maxReplicationLagMs,
                operations,
                databaseTime,
                routing,
                snapshots,
                environment,
                findMax,
                chaos,
                windows,
                cpuUse,
                timeline);
    }

    /**
     * @param outages the outages of a {@code --chaos} run and the check of its log
     * @return a copy that reports them
     */
    public RunReport withChaos(ChaosReport outages) {
        return new RunReport(
                startedAt,
                targetRate,
                achievedRate,
                durationSeconds,
                overall,
                backpressure,
                lateStarts,
                pacingDelayMs,
                maxReplicationLagMs,
                operations,
                databaseTime,
                routing,
                snapshots,
                environment,
                findMax,
                outages,
                steadiness,
                cpu,
                timeline);
    }
}
