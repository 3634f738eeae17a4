package io.dcbstore;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A catch-up subscription: the matching events after a position, first from the history, then
 * live as they are appended, in sequence order, each once. It never skips an event that commits
 * late (it reads only up to the store's safe mark). Events are read ahead into a bounded buffer
 * by a thread of the subscription; {@link #next} takes them. The caller keeps its checkpoint
 * ({@link StoredEvent#sequenceNumber()} of the last event it handled) and resumes after it with
 * a new subscription. Reads that fail in a way worth retrying are retried with backoff from the
 * same position, without loss or duplicates. Close it to stop it.
 */
public interface EventSubscription extends AutoCloseable {
    /**
     * Takes the next event, waiting up to the timeout for one.
     *
     * @param timeout how long to wait
     * @return the next event, or {@code null} when none arrived in time or the subscription is closed
     * @throws EventStoreException the failure that stopped the subscription, once the events read
     *     before it were taken
     * @throws OperationCancelledException if the waiting thread is interrupted
     */
    @Nullable
    StoredEvent next(Duration timeout);

    /** @return the sequence number of the last event {@link #next} returned (the starting position before the first) */
    long position();

    /** @return where the subscription is */
    SubscriptionState state();

    /** Stops reading, promptly; buffered events are dropped. Idempotent. */
    @Override
    void close();
}
