package io.dcbstore.simulator;

import io.dcbstore.ReadOptions;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.library.ReaderId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Builds the library-wide projections once, so that the first requests do not all replay the history at once. */
final class ProjectionPriming {
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private ProjectionPriming() {}

    /**
     * @param queries the query handlers the run will use
     * @param maxStaleness the run's bounded staleness (zero: every query reads)
     * @param out where to say how long it took
     */
    static void prime(LibraryQueries queries, Duration maxStaleness, PrintStream out) {
        long started = System.nanoTime();
        queries.booksInCirculation(ReadOptions.STRONG.withTimeout(PATIENCE));
        queries.booksLentOut(ReadOptions.STRONG.withTimeout(PATIENCE));
        queries.registeredReaders(ReadOptions.STRONG.withTimeout(PATIENCE));
        if (!maxStaleness.isZero()) {
            // Under bounded staleness, every reader's loans come from one shared projection: build it too.
            queries.booksLentByReader(ReaderId.of("reader-0"), ReadOptions.EVENTUAL.withTimeout(PATIENCE));
        }
        out.printf(Locale.ROOT, "primed the library-wide projections in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
}
