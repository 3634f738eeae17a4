package io.dcbstore;

import java.util.List;

/**
 * The events matching a filter, in sequence order, and the highest sequence number among them.
 *
 * @param events the matching events, ascending by sequence number
 * @param maxSequenceNumber the highest sequence number among the events; 0 when there are none
 */
public record QueryResult(List<StoredEvent> events, long maxSequenceNumber) {
    /** Copies the list and checks that the maximum agrees with it. */
    public QueryResult {
        events = List.copyOf(events);
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).sequenceNumber();
        if (last != maxSequenceNumber) {
            throw new IllegalArgumentException("maxSequenceNumber " + maxSequenceNumber + " disagrees with the events (" + last + ")");
        }
    }
}
