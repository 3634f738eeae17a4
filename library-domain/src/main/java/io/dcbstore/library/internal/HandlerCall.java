package io.dcbstore.library.internal;

import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.library.CommandInterruptedException;
import io.dcbstore.library.ConcurrencyRetriesExhaustedException;
import java.util.function.Supplier;

/**
 * One command or query as observability sees it. This base class records nothing and is shared
 * ({@link #NONE}); {@link HandlerTelemetry} implementations that record extend it. One call runs on
 * one thread.
 */
public class HandlerCall implements AutoCloseable {
    /** The call that records nothing. */
    public static final HandlerCall NONE = new HandlerCall();

    /** Only {@link #NONE} and subclasses. */
    protected HandlerCall() {}

    /**
     * Runs the pure decision of a command; a recording call makes it a child span of the command.
     *
     * @param decision the decision
     * @param <T> its result
     * @return its result
     */
    public <T> T decide(Supplier<T> decision) {
        return decision.get();
    }

    /** @param attempt the attempt that conflicted (1 for the first), before the pause and the next */
    public void retrying(int attempt) {}

    /** @param outcome how the call ended without an exception: success, idempotent, business_failure */
    public void succeeded(String outcome) {}

    /** @param failure what the caller gets */
    public void failed(RuntimeException failure) {}

    /** Ends the call: records it. */
    @Override
    public void close() {}

    /**
     * @param failure what a handler's caller got
     * @return its outcome tag: conflict, interrupted, timeout, cancelled or error
     */
    public static String outcomeOf(RuntimeException failure) {
        if (failure instanceof ConcurrencyRetriesExhaustedException) {
            return "conflict";
        }
        if (failure instanceof CommandInterruptedException) {
            return "interrupted";
        }
        if (failure instanceof OperationTimeoutException) {
            return "timeout";
        }
        if (failure instanceof OperationCancelledException) {
            return "cancelled";
        }
        return "error";
    }
}
