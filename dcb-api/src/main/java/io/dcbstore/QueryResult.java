package io.dcbstore;

import java.util.List;

/**
 * The events matching a filter, in sequence order, and the highest sequence number among them.
 *
 * @param events the matching events, ascending by sequence number
 * @param maxSequenceNumber the highest sequence number among the events; when there are none, the
 *                          position the read started after ({@link Filter#sequenceNumberAfter()},
 *                          0 for a read from the start), so that appending with it as the expected
 *                          position is never falsely rejected
 */
public record QueryResult(List<StoredEvent> events, long maxSequenceNumber) {
    /**
     * Copies the list and checks that the maximum agrees with it.
     *
     * @param events the matching events, ascending by sequence number
     * @param maxSequenceNumber the highest sequence number among the events; when there are none, the position the read started after ({@link Filter#sequenceNumberAfter()}, 0 for a read from the start), so that appending with it as the expected position is never falsely rejected
     */
    public QueryResult {
        events = List.copyOf(events);
        if (events.isEmpty()
                ? maxSequenceNumber < 0
                : events.get(events.size() - 1).sequenceNumber() != maxSequenceNumber) {
            throw new IllegalArgumentException("maxSequenceNumber " + maxSequenceNumber + " disagrees with the events ("
                    + (events.isEmpty() ? "none" : events.get(events.size() - 1).sequenceNumber()) + ")");
        }
    }
}
