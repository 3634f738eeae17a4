package io.dcbstore.simulator;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Collects the garbage of seeding and priming while nothing is measured. The primed projections
 * are hundreds of MB of live objects in the young generation; left alone, the collector copies and
 * compacts them during the warm-up and the first measured seconds (measured: young pauses up to
 * 1.4 s and full collections of 0.6-1.1 s), and at 1,000 req/s on 2 cores the backlog of those
 * pauses takes tens of seconds to drain.
 */
final class HeapSettling {
    private HeapSettling() {}

    /** @param out where to say how long the full collection took */
    static void settle(PrintStream out) {
        long started = System.nanoTime();
        System.gc();
        out.printf(Locale.ROOT, "settled the heap (full collection) in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
}
