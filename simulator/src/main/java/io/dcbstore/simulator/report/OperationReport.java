package io.dcbstore.simulator.report;

/**
 * The figures of one operation type (or of all), and where its time went (mean milliseconds).
 *
 * @param name the operation
 * @param requests requests finished
 * @param ok requests that succeeded
 * @param idempotent commands that were already done
 * @param businessFailures commands the domain refused
 * @param errors requests that failed otherwise
 * @param timeouts requests over their timeout
 * @param shed requests that could not start within their timeout
 * @param conflicts concurrency conflicts retried
 * @param p50Ms median latency
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs maximum
 * @param meanMs mean latency
 * @param queueMs mean wait before a worker started it
 * @param poolMs mean wait for pooled connections
 * @param databaseMs mean database execution time (pg_stat_statements, per statement kind)
 * @param driverMs mean time in the store outside the database and the pool: network, driver, store code
 * @param applicationMs mean time outside the store: domain decisions, projections, JSON
 */
public record OperationReport(String name, long requests, long ok, long idempotent, long businessFailures, long errors, long timeouts,
                              long shed, long conflicts, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                              double meanMs, double queueMs, double poolMs, double databaseMs, double driverMs, double applicationMs) {
}
