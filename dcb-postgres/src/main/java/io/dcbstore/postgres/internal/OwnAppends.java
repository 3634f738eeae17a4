package io.dcbstore.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.internal.Json;
import io.dcbstore.internal.Matching;
import java.util.List;

/**
 * The appends a thread made last through a store, so that its reads can see them: a read waits
 * for the safe mark to pass the newest of them that its filter matches, and for no other. A
 * thread that appended for one book and then reads another book's boundary does not wait for its
 * own append. Per thread (a {@link ThreadLocal} of the router); the last {@value #KEPT} appends are
 * kept (an older one still above the mark is missed: the read then stops at the mark, as for
 * another thread's append, and a conditional append decided on it fails rather than writing
 * wrongly).
 */
final class OwnAppends {
    /** How many of the thread's appends are kept. */
    static final int KEPT = 8;

    private final long[] lastSequenceNumbers = new long[KEPT];
    private final Object[] events = new Object[KEPT];
    private int next;

    /**
     * @param lastSequenceNumber the append's last sequence number
     * @param appended its events
     */
    void add(long lastSequenceNumber, List<Event> appended) {
        lastSequenceNumbers[next] = lastSequenceNumber;
        events[next] = new Appended(List.copyOf(appended));
        next = (next + 1) % KEPT;
    }

    /**
     * @param filter a read's filter
     * @return the highest last sequence number of a kept append with an event the filter matches
     *     (after the filter's own position), 0 for none
     */
    long newestMatching(Filter filter) {
        long newest = 0;
        for (int i = 0; i < KEPT; i++) {
            long sequence = lastSequenceNumbers[i];
            if (sequence > newest
                    && sequence > filter.sequenceNumberAfter()
                    && ((Appended) events[i]).anyMatches(filter, sequence)) {
                newest = sequence;
            }
        }
        return newest;
    }

    /** Forgets an append that stayed above the mark too long, so that later reads do not wait for it. */
    void forget(long lastSequenceNumber) {
        for (int i = 0; i < KEPT; i++) {
            if (lastSequenceNumbers[i] == lastSequenceNumber) {
                lastSequenceNumbers[i] = 0;
                events[i] = null;
            }
        }
    }

    /** An append's events, their payloads parsed on first use. */
    private static final class Appended {
        private final List<Event> events;
        private JsonNode[] payloads;

        Appended(List<Event> events) {
            this.events = events;
        }

        /** The events' sequence numbers are consecutive, the last one {@code lastSequenceNumber}. */
        boolean anyMatches(Filter filter, long lastSequenceNumber) {
            if (payloads == null) {
                payloads = new JsonNode[events.size()];
            }
            for (int i = 0; i < events.size(); i++) {
                if (payloads[i] == null) {
                    payloads[i] = Json.parseObject("payload", events.get(i).payload());
                }
                long sequenceNumber = lastSequenceNumber - (events.size() - 1 - i);
                if (Matching.matches(filter, sequenceNumber, events.get(i).type(), payloads[i])) {
                    return true;
                }
            }
            return false;
        }
    }
}
