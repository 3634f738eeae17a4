package io.dcbstore.simulator.report;

import java.util.List;
import java.util.Map;

/**
 * Everything a run reports.
 *
 * @param startedAt when the measured run started (ISO-8601)
 * @param targetRate the rate asked for
 * @param achievedRate requests finished per second
 * @param durationSeconds measured seconds
 * @param overall all operations together
 * @param operations per operation type
 * @param backpressureLateStarts requests that started more than 10 ms late
 * @param timeline one point per second
 * @param databaseTime database execution per statement kind and node: calls and milliseconds
 * @param routing where reads went (primary, replica, fallbacks)
 * @param snapshots query-side snapshot and cache statistics
 * @param maxReplicationLagMs the largest replication lag seen
 * @param environment machine and settings
 * @param findMax the steps of a --find-max run, or empty
 * @param maxSustainedRate the highest rate that met the bounds (find-max), or 0
 * @param pacingDelayMs how late the simulator's own pacing thread put requests in the queue
 *     (p50, p99, max, mean in ms): the part of the queue wait that is the client's, not the server's
 */
public record RunReport(String startedAt, double targetRate, double achievedRate, double durationSeconds, OperationReport overall,
                        List<OperationReport> operations, long backpressureLateStarts, List<TimelinePoint> timeline,
                        Map<String, Map<String, Object>> databaseTime, Map<String, Object> routing, Map<String, Object> snapshots,
                        double maxReplicationLagMs, Map<String, Object> environment, List<Map<String, Object>> findMax,
                        double maxSustainedRate, Map<String, Double> pacingDelayMs) {
}
