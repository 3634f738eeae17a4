package io.dcbstore.library;

import io.dcbstore.EventStore;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionState;
import io.dcbstore.library.internal.DecisionStates;
import io.dcbstore.library.internal.Problems;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one follower of the log in a process: a subscription follows the library's events and feeds
 * what the process keeps in memory.
 * <ul>
 *   <li>The library-wide projections of the {@link LibraryQueries}: whenever events arrived, a
 *       thread of the follower brings every projection up to date, once for all that arrived
 *       together. Requests then find a state that is at most one catch-up behind: with
 *       {@link QuerySettings#maxStaleness()} set, eventual queries answer without reading, and
 *       strong ones read only what is newer.</li>
 *   <li>Optionally, the states the {@link LibraryCommands} decide from: each event is added to the
 *       boundaries' states it matches, so a command whose states are current appends without
 *       reading (one round trip), and the store's append condition rejects it when they were not.</li>
 * </ul>
 * One per process; close it to stop it.
 */
public final class LibraryFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryFollower.class);
    private static final Filter LIBRARY_EVENTS =
            Filter.anyOf(FilterItem.types(LibraryEvent.ALL_TYPES.toArray(String[]::new)));
    private static final Duration WAIT = Duration.ofMillis(200);
    /**
     * The shortest time between two catch-ups of the projections: each reads what is new for every
     * projection, and under load events arrive every millisecond.
     */
    private static final long PROJECTION_INTERVAL_MILLIS = 50;
    /** How many filter items' states the commands keep by default: a book copy's or a reader's story is one. */
    public static final int DEFAULT_DECISION_STATES = 100_000;

    private final EventStore store;
    private final LibraryQueries queries;
    private final DecisionStates states;
    private final LibraryCommands commands;
    private volatile EventSubscription subscription;
    private final Thread follower;
    private final Thread projector;
    private final Object arrived = new Object();
    private long arrivedUpTo = -1; // guarded by arrived
    private volatile boolean closed;
    private volatile long caughtUpTo;
    private volatile long followedTo;

    private LibraryFollower(EventStore store, LibraryQueries queries, LibraryCommands commands, int decisionStates) {
        this.store = store;
        this.queries = queries;
        this.commands = commands;
        this.caughtUpTo = queries.catchUpLibraryWide();
        this.followedTo = caughtUpTo;
        this.states = commands == null ? null : new DecisionStates(store, decisionStates, caughtUpTo);
        this.subscription = store.subscribe(LIBRARY_EVENTS, caughtUpTo);
        this.follower = new Thread(this::follow, "library-follower");
        this.projector = new Thread(this::project, "library-projector");
        follower.setDaemon(true);
        projector.setDaemon(true);
        follower.start();
        projector.start();
        if (commands != null) {
            commands.decideFrom(states);
        }
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
        return new LibraryFollower(store, queries, null, DEFAULT_DECISION_STATES);
    }

    /**
     * Like {@link #start(EventStore, LibraryQueries)}, and the commands decide from states that
     * this follower keeps current, instead of reading their boundary each time. Closing the
     * follower makes them read again.
     *
     * @param store the event store; the caller keeps and closes it
     * @param queries the query handler whose projections to keep current
     * @param commands the command handler that decides from the followed states
     * @param decisionStates how many filter items' states to keep at most (at least 64)
     * @return the running follower
     */
    public static LibraryFollower start(
            EventStore store, LibraryQueries queries, LibraryCommands commands, int decisionStates) {
        new Problems()
                .notNull("event store", store)
                .notNull("queries", queries)
                .notNull("commands", commands)
                .check(
                        decisionStates >= DecisionStates.MIN_CAPACITY,
                        "decision states must be at least " + DecisionStates.MIN_CAPACITY + ", got " + decisionStates)
                .throwIfAny();
        return new LibraryFollower(store, queries, commands, decisionStates);
    }

    private void follow() {
        try {
            followUntilClosed();
        } finally {
            if (!closed) {
                // Whatever ended this thread, commands must not decide from states that stopped moving.
                LOG.error("the library follower stopped; the commands read their boundaries from now on");
                if (commands != null) {
                    commands.stopDecidingFrom(states);
                }
            }
        }
    }

    private void followUntilClosed() {
        long backoffMillis = 0;
        while (!closed) {
            try {
                long last = -1;
                for (StoredEvent event = subscription.next(WAIT);
                        event != null;
                        event = subscription.next(Duration.ZERO)) {
                    if (states != null) {
                        states.apply(event);
                    }
                    last = event.sequenceNumber();
                }
                if (last >= 0) {
                    if (states != null) {
                        states.advance(last);
                    }
                    followedTo = last;
                    synchronized (arrived) {
                        arrivedUpTo = last;
                        arrived.notifyAll();
                    }
                } else if (subscription.state() == SubscriptionState.STOPPED) {
                    throw new IllegalStateException("the subscription stopped"); // replaced below
                }
                backoffMillis = 0;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                backoffMillis = backoffMillis == 0 ? 100 : Math.min(backoffMillis * 2, 5_000);
                LOG.warn("the library follower failed ({}); again in {} ms", e.getMessage(), backoffMillis);
                if (!pause(backoffMillis)) {
                    return;
                }
                resubscribeIfStopped();
            }
        }
    }

    /** A stopped subscription is replaced by a new one from the last event followed; a failure to subscribe is tried again. */
    private void resubscribeIfStopped() {
        if (subscription.state() != SubscriptionState.STOPPED || closed) {
            return;
        }
        try {
            subscription.close();
            subscription = store.subscribe(LIBRARY_EVENTS, followedTo);
            if (closed) {
                subscription.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("subscribing the library follower again failed ({}); trying again", e.getMessage());
        }
    }

    /** Catches the projections up once for all events that arrived together; a failed catch-up is tried again. */
    private void project() {
        long backoffMillis = 0;
        while (!closed) {
            long pendingUpTo;
            synchronized (arrived) {
                while (arrivedUpTo < 0 && !closed) {
                    try {
                        arrived.wait(WAIT.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                pendingUpTo = arrivedUpTo;
                arrivedUpTo = -1;
            }
            if (pendingUpTo < 0) {
                continue;
            }
            long started = System.nanoTime();
            try {
                queries.catchUpLibraryWide();
                caughtUpTo = Math.max(caughtUpTo, pendingUpTo);
                backoffMillis = 0;
                long spentMillis = (System.nanoTime() - started) / 1_000_000;
                if (spentMillis < PROJECTION_INTERVAL_MILLIS && !pause(PROJECTION_INTERVAL_MILLIS - spentMillis)) {
                    return;
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                synchronized (arrived) {
                    arrivedUpTo = Math.max(arrivedUpTo, pendingUpTo);
                }
                backoffMillis = backoffMillis == 0 ? 100 : Math.min(backoffMillis * 2, 5_000);
                LOG.warn(
                        "catching the library's projections up failed ({}); again in {} ms",
                        e.getMessage(),
                        backoffMillis);
                if (!pause(backoffMillis)) {
                    return;
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

    /** @return the sequence number of the newest event followed (the commands' states are complete up to it) */
    public long followedTo() {
        return followedTo;
    }

    /** @return how many filter items' states the commands decide from (0 when they read) */
    public int decisionStates() {
        return states == null ? 0 : states.size();
    }

    @Override
    public void close() {
        closed = true;
        if (commands != null) {
            commands.stopDecidingFrom(states);
        }
        subscription.close();
        follower.interrupt();
        projector.interrupt();
    }
}
