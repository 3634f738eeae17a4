package io.dcbstore.simulator.bench;

import static io.dcbstore.library.PayloadKeys.BOOK_ID;
import static io.dcbstore.simulator.bench.BenchmarkOutput.line;

import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.postgres.PostgresEventStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Appends of a new book's first event with 10 and with 70 top-level payload fields: past the
 * store's key-lock limit, an append takes the global lock, and this shows what that costs.
 */
final class WideEventsBenchmark {
    private WideEventsBenchmark() {}

    /**
     * @param store the store, on the seeded database
     * @param writers concurrent appenders
     * @param seconds seconds per run
     * @throws Exception when a run fails
     */
    static void run(PostgresEventStore store, int writers, int seconds) throws Exception {
        line("");
        line(
                "## Appends of events with 10 vs 70 top-level payload fields (70: the global lock), %d writers, %d s per run",
                writers, seconds);
        line("| round | fields | appends/s | p50 / p99 / p99.9 ms | appends that took the global lock |");
        line("|---|---|---|---|---|");
        for (int round = 1; round <= 2; round++) {
            for (int fields : new int[] {10, 70}) {
                long before = store.statementStatistics().globalLockAppends();
                LoadLoop.Result result =
                        LoadLoop.run(writers, seconds, random -> appendWideBook(store, random, fields));
                line(
                        "| %d | %d | %,.0f | %s | %,d |",
                        round,
                        fields,
                        result.perSecond(),
                        StoreBenchmark.percentiles(result.latencyMicros()),
                        store.statementStatistics().globalLockAppends() - before);
            }
        }
    }

    private static void appendWideBook(PostgresEventStore store, ThreadLocalRandom random, int fields) {
        String book = "wbook-" + random.nextLong(1, Long.MAX_VALUE);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(BOOK_ID, book);
        for (int i = 1; i < fields; i++) {
            payload.put("Field" + i, "v" + random.nextInt(1000));
        }
        store.append(
                Filter.anyOf(FilterItem.types(StoreBenchmark.APPEND_TYPES).allOf(PayloadPredicate.eq(BOOK_ID, book))),
                0,
                Event.of(BookCopyAddedToCirculation.TYPE, payload));
    }
}
