/**
 * Benchmarks of the store against pgbench running the reference's SQL on the same database in
 * the same run; they print numbers and never assert timings.
 */
package io.dcbstore.simulator.bench;
