package io.dcbstore.simulator.metrics;

/**
 * Something that ran besides the requests, from when to when: a GC pause, an autovacuum, a
 * checkpoint, a snapshot save, a long transaction.
 *
 * @param kind {@code gc_pause}, {@code autovacuum}, {@code autoanalyze}, {@code checkpoint},
 *     {@code snapshot_save} or {@code long_transaction}
 * @param process where it ran: {@code jvm}, {@code primary} or {@code replica}
 * @param detail what it was, for people; activities with the same kind, process and detail are
 *     counted together in a window
 * @param startNanos when it started ({@link System#nanoTime})
 * @param endNanos when it ended (or was last seen running), not before the start
 */
public record Activity(String kind, String process, String detail, long startNanos, long endNanos) {
    /** Checks that it ends after it starts. */
    public Activity {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("an activity ends after it starts: " + startNanos + " > " + endNanos);
        }
    }

    /** @return how long it ran in nanoseconds */
    public long durationNanos() {
        return endNanos - startNanos;
    }
}
