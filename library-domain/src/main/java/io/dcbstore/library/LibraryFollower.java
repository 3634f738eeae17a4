package io.dcbstore.library;

import io.dcbstore.EventStore;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionState;
import io.dcbstore.library.internal.Problems;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one process's library-wide query results current: a subscription follows the library's
 * events, and whenever some arrived, a thread of the follower brings every library-wide projection
 * of the {@link LibraryQueries} up to date, once for all that arrived together. Requests then find
 * a state in memory that is at most one catch-up behind: with {@link QuerySettings#maxStaleness()}
 * set, eventual queries answer without reading, and strong ones read only what is newer. One per
 * process; close it to stop it.
 */
public final class LibraryFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryFollower.class);
    private static final Filter LIBRARY_EVENTS =
            Filter.anyOf(FilterItem.types(LibraryEvent.ALL_TYPES.toArray(String[]::new)));
    private static final Duration WAIT = Duration.ofMillis(200);

    private final EventStore store;
    private final LibraryQueries queries;
    private volatile EventSubscription subscription;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long caughtUpTo;

    private LibraryFollower(EventStore store, LibraryQueries queries) {
        this.store = store;
        this.queries = queries;
        this.caughtUpTo = queries.catchUpLibraryWide();
        this.subscription = store.subscribe(LIBRARY_EVENTS, caughtUpTo);
        this.thread = new Thread(this::follow, "library-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Catches the library-wide projections up once, then follows the log from there.
     *
     * @param store the event store; the caller keeps and closes it
     * @param queries the query handler whose projections to keep current
     * @return the running follower
     */
    public static LibraryFollower start(EventStore store, LibraryQueries queries) {
        new Problems().notNull("event store", store).notNull("queries", queries).throwIfAny();
        return new LibraryFollower(store, queries);
    }

    private void follow() {
        long pendingUpTo = -1;
        long backoffMillis = 0;
        while (!closed) {
            try {
                StoredEvent first = subscription.next(WAIT);
                for (StoredEvent more = first; more != null; more = subscription.next(Duration.ZERO)) {
                    pendingUpTo = more.sequenceNumber();
                }
                if (pendingUpTo >= 0) {
                    queries.catchUpLibraryWide();
                    caughtUpTo = pendingUpTo;
                    pendingUpTo = -1;
                }
                backoffMillis = 0;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // A failed catch-up is tried again (pendingUpTo stays); a stopped subscription is
                // replaced by a new one from the last position caught up after.
                backoffMillis = backoffMillis == 0 ? 100 : Math.min(backoffMillis * 2, 5_000);
                LOG.warn("the library follower failed ({}); again in {} ms", e.getMessage(), backoffMillis);
                if (!pause(backoffMillis)) {
                    return;
                }
                if (subscription.state() == SubscriptionState.STOPPED && !closed) {
                    subscription.close();
                    subscription = store.subscribe(LIBRARY_EVENTS, Math.max(caughtUpTo, pendingUpTo));
                    if (closed) {
                        subscription.close();
                    }
                }
            }
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** @return the sequence number of the newest event the projections were caught up after */
    public long caughtUpTo() {
        return caughtUpTo;
    }

    @Override
    public void close() {
        closed = true;
        subscription.close();
        thread.interrupt();
    }
}
