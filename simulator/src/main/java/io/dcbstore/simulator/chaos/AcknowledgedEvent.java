package io.dcbstore.simulator.chaos;

/**
 * An event of an append the store acknowledged: where the store said it put it, and what it was.
 *
 * @param sequenceNumber the sequence number the store gave it
 * @param identity its type and ids
 */
public record AcknowledgedEvent(long sequenceNumber, EventIdentity identity) {}
