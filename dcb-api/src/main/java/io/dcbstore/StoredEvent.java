package io.dcbstore;

import java.time.Instant;

/**
 * An event as stored: the appended event and the sequence number the store gave it. Sequence
 * numbers are positive, unique and increase in append order; they may have gaps.
 *
 * @param sequenceNumber the position in the log
 * @param type the event type
 * @param payload the payload, a JSON object as text (normalised by the database)
 * @param metadata the metadata, a JSON object as text
 * @param occurredAt when the event occurred
 */
public record StoredEvent(long sequenceNumber, String type, String payload, String metadata, Instant occurredAt) {
    /** Checks the invariants the store guarantees. */
    public StoredEvent {
        if (sequenceNumber <= 0) {
            throw new IllegalArgumentException("sequence number must be positive, got " + sequenceNumber);
        }
    }
}
