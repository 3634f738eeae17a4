package io.dcbstore.simulator.chaos;

import java.util.function.LongSupplier;

/**
 * One outage as it happens: the step that took the server down, the start that ends it, and the
 * moments (monotonic nanoseconds, -1 until reached) written by the runner and read by the prober.
 */
final class Outage {
    static final long NOT_YET = -1;

    final ChaosStep down;
    final ChaosStep start;
    final LongSupplier successes;
    volatile long downAt = NOT_YET;
    volatile long restartAt = NOT_YET;
    volatile long upAt = NOT_YET;
    volatile long recoveredAt = NOT_YET;
    private volatile long successesAtRestart;

    /**
     * @param down the step that takes the server down
     * @param start the step that starts it again
     * @param successes counts requests served by the server (it only grows)
     */
    Outage(ChaosStep down, ChaosStep start, LongSupplier successes) {
        this.down = down;
        this.start = start;
        this.successes = successes;
    }

    /** @param nanos when the start was issued; successes from now on count as the recovery */
    void restarting(long nanos) {
        successesAtRestart = successes.getAsLong();
        restartAt = nanos;
    }

    /**
     * Marks the recovery when a request through the server succeeded since the restart.
     *
     * @param nanos now
     * @return whether it has recovered (now or before)
     */
    boolean probe(long nanos) {
        if (recoveredAt != NOT_YET) {
            return true;
        }
        if (restartAt != NOT_YET && successes.getAsLong() > successesAtRestart) {
            recoveredAt = nanos;
            return true;
        }
        return false;
    }
}
