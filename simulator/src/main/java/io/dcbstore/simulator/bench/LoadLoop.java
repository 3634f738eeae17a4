package io.dcbstore.simulator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;

/** Runs an action in a closed loop on n threads for a while, recording latencies in microseconds. */
final class LoadLoop {
    /** What each loop does once (an append, a query); returns normally when it counts as done. */
    @FunctionalInterface
    interface Action {
        void run(ThreadLocalRandom random) throws Exception;
    }

    /** What a loop measured, with the operations finished in each second. */
    record Result(long operations, double seconds, Histogram latencyMicros, long[] countsPerSecond) {
        double perSecond() {
            return operations / seconds;
        }

        /** @return the smallest number of operations finished in one whole second */
        long worstSecond() {
            return LongStream.of(countsPerSecond).min().orElse(0);
        }
    }

    private LoadLoop() {}

    static Result run(int threads, double seconds, Action action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        AtomicLongArray bySecond = new AtomicLongArray((int) Math.ceil(seconds) + 1);
        List<Future<Histogram>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Histogram histogram = new Histogram(3_600_000_000L, 3);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    action.run(random);
                    long finished = System.nanoTime();
                    histogram.recordValue(Math.max(1, (finished - began) / 1000));
                    int second = (int) ((finished - start) / 1_000_000_000L);
                    if (second < bySecond.length()) {
                        bySecond.incrementAndGet(second);
                    }
                }
                return histogram;
            }));
        }
        Histogram total = new Histogram(3_600_000_000L, 3);
        for (Future<Histogram> future : futures) {
            total.add(future.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] whole = new long[(int) Math.floor(seconds)];
        for (int i = 0; i < whole.length; i++) {
            whole[i] = bySecond.get(i);
        }
        return new Result(total.getTotalCount(), elapsed, total, whole);
    }
}
