/** Metrics of a simulation: the Prometheus scrape endpoint, and what the simulator itself measures. */
package io.dcbstore.simulator.metrics;
