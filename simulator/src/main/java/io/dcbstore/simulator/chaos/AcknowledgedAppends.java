package io.dcbstore.simulator.chaos;

import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every append the store acknowledged during a run, event by event: the sequence number it was
 * given and its identity, for the check after the run that each is in the log. Thread-safe.
 */
public final class AcknowledgedAppends {
    private final List<AcknowledgedEvent> events = new ArrayList<>();
    private final LongAdder appends = new LongAdder();

    /**
     * @param result what the store answered
     * @param appended the events of the append, in order
     */
    public void record(AppendResult result, List<Event> appended) {
        List<AcknowledgedEvent> acknowledged = new ArrayList<>(appended.size());
        for (int i = 0; i < appended.size(); i++) {
            Event event = appended.get(i);
            acknowledged.add(new AcknowledgedEvent(
                    result.firstSequenceNumber() + i, EventIdentity.of(event.type(), event.metadata())));
        }
        synchronized (events) {
            events.addAll(acknowledged);
        }
        appends.increment();
    }

    /** @return how many appends were acknowledged so far */
    public long appends() {
        return appends.sum();
    }

    /** @return a copy of the acknowledged events so far */
    public List<AcknowledgedEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
