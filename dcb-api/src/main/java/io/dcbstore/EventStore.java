package io.dcbstore;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A DCB event store: query the events of a consistency boundary, and append new events only if
 * the boundary did not change since.
 *
 * <p><b>Guarantees.</b> Appends are atomic (all events or none) and their events get consecutive
 * sequence numbers. Two concurrent appends where an event of one matches the condition of the
 * other are serialised: exactly one of two appends with the same expected sequence number
 * succeeds. Appends whose boundaries are disjoint never fail each other. Reads never skip an event:
 * if a read returns an event with sequence number n, it also returns every matching event below n
 * that will ever be visible ({@code gap-free}), so a position can safely resume a read.
 *
 * <p><b>Errors.</b> Every method throws {@link InvalidInputException} for bad input (before any
 * SQL), {@link OperationTimeoutException}, {@link OperationCancelledException} and
 * {@link DatabaseException}; appends also throw {@link AppendConditionFailedException}.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Reads every event matching the filter, with strong consistency.
     *
     * @param filter what to read
     * @return the events in sequence order and their highest sequence number
     */
    default QueryResult query(Filter filter) {
        return query(filter, ReadOptions.STRONG);
    }

    /**
     * Reads every event matching the filter.
     *
     * @param filter what to read
     * @param options consistency, commit token, timeout, cancellation
     * @return the events in sequence order and their highest sequence number
     */
    QueryResult query(Filter filter, ReadOptions options);

    /**
     * Reads the matching events lazily; for results too large to hold in memory.
     *
     * @param filter what to read
     * @param options consistency, commit token, timeout (for the first batch), cancellation
     * @return an open stream; close it
     */
    EventStream stream(Filter filter, ReadOptions options);

    /**
     * Follows the log: the events matching the filter after a position, first the history, then
     * live. See {@link EventSubscription}.
     *
     * @param filter what to follow (if it has a {@link Filter#sequenceNumberAfter()} of its own,
     *     the later of the two positions applies)
     * @param afterSequenceNumber the position to start after: 0 for the whole history, or the
     *     caller's checkpoint
     * @param options consistency, buffer and page sizes, poll interval, retry backoff
     * @return the running subscription; close it
     */
    EventSubscription subscribe(Filter filter, long afterSequenceNumber, SubscriptionOptions options);

    /**
     * Follows the log with {@link SubscriptionOptions#DEFAULTS}.
     *
     * @param filter what to follow
     * @param afterSequenceNumber the position to start after
     * @return the running subscription; close it
     */
    default EventSubscription subscribe(Filter filter, long afterSequenceNumber) {
        return subscribe(filter, afterSequenceNumber, SubscriptionOptions.DEFAULTS);
    }

    /**
     * Appends events if no event matching {@code filter} has a sequence number above
     * {@code expectedMaxSequenceNumber}.
     *
     * @param filter the consistency boundary the caller decided on
     * @param expectedMaxSequenceNumber the highest sequence number of the boundary the caller saw
     * @param events one or more events, appended in order
     * @return the sequence numbers written and a commit token
     * @throws AppendConditionFailedException if the boundary changed; nothing was written
     */
    default AppendResult append(Filter filter, long expectedMaxSequenceNumber, Event... events) {
        return append(
                Arrays.asList(events), AppendCondition.of(filter, expectedMaxSequenceNumber), AppendOptions.DEFAULT);
    }

    /**
     * Appends events, in the DCB specification's shape.
     *
     * @param events one or more events, appended in order
     * @param condition the condition, or {@code null} to append unconditionally
     * @param options timeout and cancellation
     * @return the sequence numbers written and a commit token
     * @throws AppendConditionFailedException if the condition failed; nothing was written
     */
    AppendResult append(List<Event> events, @Nullable AppendCondition condition, AppendOptions options);

    /**
     * Appends events without a condition.
     *
     * @param events one or more events, appended in order
     * @return the sequence numbers written and a commit token
     */
    default AppendResult append(Event... events) {
        return append(Arrays.asList(events), null, AppendOptions.DEFAULT);
    }

    /**
     * Saves a snapshot, unless one with a higher sequence number is already saved for the same key.
     *
     * @param snapshot the snapshot
     * @return whether this snapshot is now the saved one
     */
    boolean saveSnapshot(Snapshot snapshot);

    /**
     * @param projectionType the projection
     * @param filterHash {@link Filter#hash()} of its filter
     * @return the saved snapshot, if any
     */
    Optional<Snapshot> loadSnapshot(String projectionType, String filterHash);

    /**
     * @param projectionType the projection
     * @param filterHash {@link Filter#hash()} of its filter
     * @return whether a snapshot was deleted
     */
    boolean deleteSnapshot(String projectionType, String filterHash);

    /** Releases what the store owns (pools it created); never the caller's DataSources. */
    @Override
    void close();
}
