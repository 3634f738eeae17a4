/**
 * Metrics of a simulation: the Prometheus scrape endpoint, and what the simulator itself measures:
 * a run's latency in 10-second windows, what ran besides the requests (GC pauses, autovacuum,
 * checkpoints, snapshot saves, long transactions) and the CPU time of the JVM, each embedded server
 * and the machine.
 */
package io.dcbstore.simulator.metrics;
