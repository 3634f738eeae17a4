/**
 * The growth benchmark's parts ({@code ./simulate bench-growth}): the sizes of the log it measures
 * and the library at each, what the database holds and does at each size, and the JVM's heap after
 * collections. The command itself and the report live beside the simulation they drive.
 */
package io.dcbstore.simulator.growth;
