/** Bulk loading of a realistic, domain-consistent library history for benchmarks and simulations. */
package io.dcbstore.simulator.seed;
