package io.dcbstore.simulator.report;

/**
 * Where the requests' time went, as mean milliseconds per request.
 *
 * @param total mean latency, from the intended start
 * @param queueWait mean wait before a worker started the request
 * @param poolWait mean wait for pooled connections
 * @param database mean database execution time (pg_stat_statements, per statement kind)
 * @param driverNetworkStore mean time in the store outside the database and the pool: network, driver, store code
 * @param application mean time outside the store: domain decisions, projections, JSON
 */
public record TimeBreakdown(
        @Rounded double total,
        @Rounded double queueWait,
        @Rounded double poolWait,
        @Rounded double database,
        @Rounded double driverNetworkStore,
        @Rounded double application) {}
