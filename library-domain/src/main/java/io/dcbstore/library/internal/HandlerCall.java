package io.dcbstore.library.internal;

import io.dcbstore.OperationCancelledException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.library.CommandInterruptedException;
import io.dcbstore.library.ConcurrencyRetriesExhaustedException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command or query as observability sees it. This base class records nothing and is shared
 * ({@link #NONE}); {@link HandlerTelemetry} implementations that record extend it. One call runs on
 * one thread.
 */
public class HandlerCall implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerCall.class);
    private static final AtomicLong FAILURES = new AtomicLong();

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
     * Runs one command or query inside a recorded call: starts it, reports how it ended, closes it.
     * Telemetry failures are logged and dropped ({@link #quietly}); the body's result or exception
     * reaches the caller unchanged.
     *
     * @param start makes the call ({@code telemetry.command(name)} or {@code telemetry.query(name)})
     * @param body the command or query
     * @param outcome the outcome tag of a result (success, idempotent, business_failure)
     * @param <T> the result type
     * @return the body's result
     */
    public static <T> T record(
            Supplier<HandlerCall> start, Function<HandlerCall, T> body, Function<T, String> outcome) {
        HandlerCall call;
        try {
            call = start.get();
        } catch (RuntimeException e) {
            warnSometimes(e);
            call = NONE;
        }
        HandlerCall running = call;
        try {
            T result = body.apply(running);
            running.succeeded(outcome.apply(result));
            return result;
        } catch (RuntimeException failure) {
            quietly(() -> running.failed(failure));
            throw failure;
        } finally {
            quietly(running::close);
        }
    }

    /**
     * Runs a piece of telemetry. Telemetry never changes what a command or query returns or
     * throws (a command that appended must not be reported as failed because a tracing handler
     * threw); a failure is logged and dropped.
     *
     * @param action what to record
     */
    public static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            warnSometimes(e);
        }
    }

    /** Logs the 1st, 2nd, 4th, 8th... telemetry failure: a broken backend must not flood the log. */
    private static void warnSometimes(RuntimeException e) {
        long count = FAILURES.incrementAndGet();
        if (Long.bitCount(count) == 1) {
            LOG.warn(
                    "recording a command or query failed ({} such failures so far); the call itself is not"
                            + " affected: {}",
                    count,
                    e.toString());
        }
    }

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
