/**
 * The load simulator: drives the library domain at a target request rate against a primary and
 * a replica, and reports throughput, latency percentiles, errors, timeouts, conflicts, replication
 * lag and where the time goes. {@link io.dcbstore.simulator.Main} is the command line.
 */
package io.dcbstore.simulator;
