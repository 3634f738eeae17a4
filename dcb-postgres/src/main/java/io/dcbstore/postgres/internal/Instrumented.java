package io.dcbstore.postgres.internal;

import io.dcbstore.DatabaseException;
import io.dcbstore.postgres.internal.Telemetry.Operation;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each store call inside its {@link StoreCall} and logs it through SLF4J: every call at
 * debug with its duration; conflicts, timeouts, cancellations and invalid input (the caller's
 * answers) at debug; database and configuration errors at warn, once, with the operation, the node
 * and the SQLSTATE. Log lines made inside a traced call carry its trace and span ids in the MDC
 * when the tracing bridge puts them there.
 */
public final class Instrumented {
    private static final Logger LOG = LoggerFactory.getLogger("io.dcbstore.postgres.EventStore");

    private final Telemetry telemetry;
    private final AtomicLong telemetryFailures = new AtomicLong();

    /** @param telemetry where calls are recorded */
    public Instrumented(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** @return where calls are recorded */
    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * @param operation what the call does
     * @param body the call; reports its node and events to the {@link StoreCall} it gets
     * @param <T> the result type
     * @return the body's result
     */
    public <T> T call(Operation operation, Function<StoreCall, T> body) {
        boolean debug = LOG.isDebugEnabled();
        long started = debug ? System.nanoTime() : 0;
        StoreCall call = start(operation);
        try {
            T result = body.apply(call);
            if (debug) {
                LOG.debug(
                        "{} on {} took {} ms",
                        operation.tag(),
                        nodeOf(call),
                        String.format("%.3f", (System.nanoTime() - started) / 1e6));
            }
            return result;
        } catch (RuntimeException failure) {
            record(() -> call.failed(failure));
            log(operation, call, failure);
            throw failure;
        } catch (Error failure) {
            record(() -> call.failed(new IllegalStateException(failure.toString())));
            throw failure;
        } finally {
            record(call::close);
        }
    }

    /**
     * Runs a piece of telemetry. Telemetry never changes what a store call returns or throws: an
     * append that committed must not be reported as failed because a meter registry or a tracing
     * handler threw (the caller would retry it and append twice). A failure is logged and dropped.
     *
     * @param action what to record
     */
    public void record(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            warnSometimes("recording a store call failed; the call itself is not affected", e);
        }
    }

    private StoreCall start(Operation operation) {
        try {
            return telemetry.start(operation);
        } catch (RuntimeException e) {
            warnSometimes("starting the telemetry of a store call failed; the call goes on unrecorded", e);
            return StoreCall.NONE;
        }
    }

    /** Logs the 1st, 2nd, 4th, 8th... telemetry failure: a broken backend must not flood the log. */
    private void warnSometimes(String what, RuntimeException e) {
        long count = telemetryFailures.incrementAndGet();
        if (Long.bitCount(count) == 1) {
            LOG.warn("{} ({} such failures so far): {}", what, count, e.toString());
        }
    }

    private static void log(Operation operation, StoreCall call, RuntimeException failure) {
        Outcome outcome = Outcome.of(failure);
        if (outcome.expected()) {
            LOG.debug("{} on {} ended: {}: {}", operation.tag(), nodeOf(call), outcome.outcome(), failure.getMessage());
        } else {
            String sqlState = failure instanceof DatabaseException database ? database.sqlState() : null;
            LOG.warn(
                    "{} on {} failed ({}, SQLSTATE {}): {}",
                    operation.tag(),
                    nodeOf(call),
                    outcome.errorType(),
                    sqlState,
                    failure.getMessage());
        }
    }

    private static String nodeOf(StoreCall call) {
        String node = call.node();
        return node == null ? "the store" : node;
    }
}
