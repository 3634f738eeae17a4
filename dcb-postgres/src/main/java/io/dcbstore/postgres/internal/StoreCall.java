package io.dcbstore.postgres.internal;

/**
 * One store operation as observability sees it: which node served it, how many events it moved,
 * how it ended, and how much of its time was spent in the database. This base class records
 * nothing and is shared ({@link #NONE}); {@link Telemetry} implementations that record extend it.
 * Not thread-safe: one operation runs on one thread.
 */
public class StoreCall implements AutoCloseable {
    /** The call that records nothing; costs a virtual call per event of the operation. */
    public static final StoreCall NONE = new StoreCall();

    private static final ThreadLocal<StoreCall> CURRENT = new ThreadLocal<>();

    /** Only {@link #NONE} and subclasses. */
    protected StoreCall() {}

    /**
     * @param node the node that served the call: {@code primary} or the replica's name
     */
    public void servedBy(String node) {}

    /** @return the node that served the call, or null when nothing records */
    public String node() {
        return null;
    }

    /** @param count events the call returned (a query) */
    public void eventsRead(int count) {}

    /**
     * @param count events to append
     * @param expected the condition's sequence number, or -1 without a condition
     */
    public void appending(int count, long expected) {}

    /** @param lastSequenceNumber the last appended event's sequence number */
    public void appended(long lastSequenceNumber) {}

    /** @param nanos time spent waiting for a commit token to become visible (added up) */
    public void waitedForToken(long nanos) {}

    /**
     * The call ended with an exception (a conflict, a timeout, a cancellation, a database error).
     *
     * @param failure what the caller gets
     */
    public void failed(RuntimeException failure) {}

    /** Ends the call: records it. */
    @Override
    public void close() {}

    /** @param nanos time spent on a connection (statements and their results) */
    void addDatabaseTime(long nanos) {}

    private StoreCall outer;

    /**
     * Makes this call the one {@link DatabaseCall} reports database time to, on this thread,
     * remembering the call it interrupts (a store call made inside another one).
     */
    protected final void makeCurrent() {
        outer = CURRENT.get();
        CURRENT.set(this);
    }

    /** Stops reporting database time to this call; the interrupted call, if any, is current again. */
    protected final void clearCurrent() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /** @return the call running on this thread, or null when nothing records */
    static StoreCall current() {
        return CURRENT.get();
    }
}
