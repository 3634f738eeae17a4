package io.dcbstore;

/** Where a {@link EventSubscription} is. */
public enum SubscriptionState {
    /** Reading history: the last read returned a full page, more follows at once. */
    CATCHING_UP,
    /** Caught up with the log: waiting for new events (woken by appends, or polling). */
    LIVE,
    /** A read failed in a way worth retrying (the database restarts, a connection dropped): waiting to retry. */
    RETRYING,
    /** Closed, or failed in a way not worth retrying; delivers what it buffered, then nothing more. */
    STOPPED
}
