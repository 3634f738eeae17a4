package io.dcbstore.simulator.load;

/**
 * What the current request spent, accumulated by the timed store and data sources on the thread
 * that runs it. One request at a time per worker thread.
 */
public final class RequestContext {
    private static final ThreadLocal<RequestContext> CURRENT = ThreadLocal.withInitial(RequestContext::new);

    long poolNanos;
    long storeNanos;
    long storeCalls;
    long queries;
    long appends;
    long snapshotCalls;
    /** When the request times out (System.nanoTime), or {@link Long#MAX_VALUE} for none. */
    long deadlineNanos = Long.MAX_VALUE;
    /** The request's whole timeout, for the exception when the deadline has passed. */
    long timeoutNanos;

    private RequestContext() {}

    /**
     * @param deadlineNanos when the request times out (System.nanoTime), or {@link Long#MAX_VALUE}
     * @param timeoutNanos the request's whole timeout
     * @return the context of the request running on this thread, reset
     */
    static RequestContext begin(long deadlineNanos, long timeoutNanos) {
        RequestContext context = CURRENT.get();
        context.deadlineNanos = deadlineNanos;
        context.timeoutNanos = timeoutNanos;
        context.poolNanos = 0;
        context.storeNanos = 0;
        context.storeCalls = 0;
        context.queries = 0;
        context.appends = 0;
        context.snapshotCalls = 0;
        return context;
    }

    /** @return the context of this thread */
    static RequestContext current() {
        return CURRENT.get();
    }
}
