package io.dcbstore.simulator.report;

import java.util.Locale;

/**
 * What ran besides the requests during one window of a run, one kind on one process: GC pauses of
 * the JVM, an autovacuum or autoanalyze of a table, a checkpoint (a restartpoint on a replica), a
 * snapshot save of the library, a long transaction.
 *
 * @param kind {@code gc_pause}, {@code autovacuum}, {@code autoanalyze}, {@code checkpoint},
 *     {@code snapshot_save} or {@code long_transaction}
 * @param process where it ran: {@code jvm}, {@code primary} or {@code replica}
 * @param detail what it was (the collector and cause, the table, the buffers written...)
 * @param count how many of them overlapped the window
 * @param overlapMs the time they ran within the window, added up (overlapping ones counted twice)
 * @param longestMs the longest one's whole duration, inside the window or not
 */
public record ActivitySummary(
        String kind,
        String process,
        String detail,
        int count,
        @Rounded double overlapMs,
        @Rounded double longestMs) {
    /**
     * @return one line for people: {@code gc_pause on jvm: 3 (45 ms in the window, longest 20 ms):
     *     PS Scavenge (Allocation Failure)}; without the times when they are under a millisecond
     *     (an autovacuum seen only by its count, a sub-millisecond pause)
     */
    public String describe() {
        String times = longestMs < 0.5
                ? ""
                : String.format(Locale.ROOT, " (%.0f ms in the window, longest %.0f ms)", overlapMs, longestMs);
        return String.format(
                Locale.ROOT, "%s on %s: %d%s%s", kind, process, count, times, detail.isEmpty() ? "" : ": " + detail);
    }
}
