package io.dcbstore.library.internal;

import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent;
import java.util.ArrayList;
import java.util.List;

/** One filter item's events for {@link DecisionStates}, in log order, complete up to the follower's position once loaded. */
final class ItemState {
    /** A followed event of an item, decoded once. */
    record Recorded(long sequence, LibraryEvent event) {}

    /** A state with more events than this is dropped (read again when used): hot entities do not grow without bound. */
    static final int MAX_EVENTS_PER_STATE = 10_000;

    final FilterItem item;
    volatile long lastUsed;
    private final List<Recorded> events = new ArrayList<>();
    private boolean loaded;
    private boolean evicted;

    ItemState(FilterItem item) {
        this.item = item;
    }

    synchronized boolean loaded() {
        return loaded;
    }

    /**
     * From the follower, in sequence order; before the load, kept until the load merges it.
     *
     * @return false when the state grew past its limit and must be dropped
     */
    synchronized boolean offer(long sequence, LibraryEvent event) {
        if (evicted || (!events.isEmpty() && events.get(events.size() - 1).sequence() >= sequence)) {
            return true;
        }
        events.add(new Recorded(sequence, event));
        return events.size() <= MAX_EVENTS_PER_STATE;
    }

    /** Merges what a read returned with what the follower added meanwhile. */
    synchronized void load(List<Recorded> read) {
        if (loaded || evicted) {
            return;
        }
        List<Recorded> followed = new ArrayList<>(events);
        events.clear();
        events.addAll(read);
        long last = read.isEmpty() ? -1 : read.get(read.size() - 1).sequence();
        for (Recorded recorded : followed) {
            if (recorded.sequence() > last) {
                events.add(recorded);
                last = recorded.sequence();
            }
        }
        loaded = true;
    }

    synchronized boolean copyInto(List<Recorded> into, long upTo) {
        if (evicted || !loaded) {
            return false;
        }
        for (Recorded recorded : events) {
            if (recorded.sequence() > upTo) {
                break;
            }
            into.add(recorded);
        }
        return true;
    }

    synchronized void evict() {
        evicted = true;
        events.clear();
    }
}
