/**
 * Faults under load ({@code ./simulate --chaos}): a schedule of stops, kills and restarts of the
 * embedded servers, carried out while the load runs; what each outage cost (failed requests,
 * timeouts, the time to the first success after the restart); and the check, after the run, that
 * every append the simulator saw acknowledged is in the log once.
 */
package io.dcbstore.simulator.chaos;
