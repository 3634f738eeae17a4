package io.dcbstore.simulator.chaos;

import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.Outcome;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * When each failed request (error, timeout, shed) finished, so that the failures of an outage can
 * be counted over its window. Failures are rare outside outages; the log grows with them only.
 * Thread-safe: it is fed by the workers that finish requests.
 */
final class FailureLog implements Consumer<Measurements.Sample> {
    /** Failures in a window, by outcome. */
    record Counts(long errors, long timeouts, long shed) {
        long total() {
            return errors + timeouts + shed;
        }
    }

    private final LongSupplier clock;
    private long[] finishedAt = new long[1024];
    private byte[] outcomes = new byte[1024];
    private int size;

    /** @param clock monotonic nanoseconds, the same clock as the outages' times */
    FailureLog(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void accept(Measurements.Sample sample) {
        Outcome outcome = sample.outcome();
        if (outcome == Outcome.ERROR || outcome == Outcome.TIMEOUT || outcome == Outcome.SHED) {
            add(clock.getAsLong(), outcome);
        }
    }

    private synchronized void add(long nanos, Outcome outcome) {
        if (size == finishedAt.length) {
            finishedAt = Arrays.copyOf(finishedAt, size * 2);
            outcomes = Arrays.copyOf(outcomes, size * 2);
        }
        finishedAt[size] = nanos;
        outcomes[size] = (byte) outcome.ordinal();
        size++;
    }

    /**
     * @param fromNanos the window's start, inclusive
     * @param toNanos the window's end, inclusive
     * @return the failures that finished in it
     */
    synchronized Counts count(long fromNanos, long toNanos) {
        long errors = 0;
        long timeouts = 0;
        long shed = 0;
        for (int i = 0; i < size; i++) {
            if (finishedAt[i] >= fromNanos && finishedAt[i] <= toNanos) {
                switch (Outcome.values()[outcomes[i]]) {
                    case ERROR -> errors++;
                    case TIMEOUT -> timeouts++;
                    default -> shed++;
                }
            }
        }
        return new Counts(errors, timeouts, shed);
    }
}
