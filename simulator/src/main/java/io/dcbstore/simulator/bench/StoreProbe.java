package io.dcbstore.simulator.bench;

import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.simulator.seed.Checkpoints;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;

/**
 * The store benchmark's two measurements at fixed concurrency, for other benchmarks (the growth
 * benchmark takes them at each size of the log): the conditional append of a new book's first
 * event at N writers, and the query of one book's and one reader's events at N threads. Each is
 * run for a few rounds after a short warm-up; the figures are the median round's.
 */
public final class StoreProbe {
    private StoreProbe() {}

    /**
     * What one measurement found: the median over the rounds of each figure.
     *
     * @param perSecond operations per second
     * @param p50Ms median latency
     * @param p99Ms 99th percentile latency
     * @param rounds the rounds measured
     * @param walBytesPerOperation WAL bytes written per operation over all rounds, NaN when not measured
     * @param fullPageImagesPerOperation full-page images per operation over all rounds, NaN when not measured
     * @param checkpoints checkpoints started during the rounds, -1 when not measured
     */
    public record Figures(
            double perSecond,
            double p50Ms,
            double p99Ms,
            int rounds,
            double walBytesPerOperation,
            double fullPageImagesPerOperation,
            long checkpoints) {}

    /**
     * @param store the store
     * @param writers concurrent appenders
     * @param seconds seconds per round
     * @param rounds rounds
     * @return the appends' median figures
     * @throws Exception when an append fails
     */
    public static Figures appends(PostgresEventStore store, int writers, double seconds, int rounds) throws Exception {
        return measure(null, writers, seconds, rounds, random -> StoreBenchmark.appendNewBook(store, random));
    }

    /**
     * The same appends, started right after a {@code CHECKPOINT}, with what they wrote to the
     * primary's WAL. After a checkpoint the first change of each page writes the whole page to the
     * WAL, and a larger log has more distinct pages to touch, so an append's latency depends on how
     * long ago the last checkpoint began; starting from one puts every measurement at the same point
     * of the cycle, its most expensive.
     *
     * @param store the store
     * @param primary the store's primary, whose WAL counters are read before and after the rounds
     * @param writers concurrent appenders
     * @param seconds seconds per round
     * @param rounds rounds
     * @return the appends' median figures, and their WAL bytes and full-page images per append
     * @throws Exception when an append fails
     */
    public static Figures appends(PostgresEventStore store, DataSource primary, int writers, double seconds, int rounds)
            throws Exception {
        Checkpoints.checkpoint(primary);
        return measure(primary, writers, seconds, rounds, random -> StoreBenchmark.appendNewBook(store, random));
    }

    /**
     * @param store the store
     * @param threads concurrent readers
     * @param seconds seconds per round
     * @param rounds rounds
     * @param books book copies seeded ({@code book-0} on)
     * @param readers readers seeded ({@code reader-0} on)
     * @return the queries' median figures
     * @throws Exception when a query fails
     */
    public static Figures queries(
            PostgresEventStore store, int threads, double seconds, int rounds, long books, long readers)
            throws Exception {
        return measure(
                null,
                threads,
                seconds,
                rounds,
                random -> StoreBenchmark.queryBookAndReader(store, random, books, readers));
    }

    private static Figures measure(
            DataSource walSource, int threads, double seconds, int rounds, LoadLoop.Action action) throws Exception {
        LoadLoop.run(threads, Math.min(5, seconds), action);
        List<Double> rates = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        long operations = 0;
        WalCounters walBefore = walSource == null ? null : WalCounters.read(walSource);
        for (int round = 0; round < rounds; round++) {
            LoadLoop.Result result = LoadLoop.run(threads, seconds, action);
            Histogram micros = result.latencyMicros();
            operations += result.operations();
            rates.add(result.perSecond());
            p50.add(micros.getValueAtPercentile(50) / 1000.0);
            p99.add(micros.getValueAtPercentile(99) / 1000.0);
        }
        WalCounters wal = walSource == null ? null : WalCounters.read(walSource).since(walBefore);
        return new Figures(
                Medians.of(rates),
                Medians.of(p50),
                Medians.of(p99),
                rounds,
                wal == null || operations == 0 ? Double.NaN : wal.bytes() / (double) operations,
                wal == null || operations == 0 ? Double.NaN : wal.fullPageImages() / (double) operations,
                wal == null ? -1 : wal.checkpoints());
    }
}
