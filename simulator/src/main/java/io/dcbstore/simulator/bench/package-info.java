/**
 * Benchmarks of the store against pgbench running the reference's SQL on the same database in
 * the same run, and the database's own ceiling for the simulator's statement mix (pgbench
 * replaying the SQL the store sent for sampled simulator requests); they print numbers and never
 * assert timings.
 */
package io.dcbstore.simulator.bench;
