package io.dcbstore.simulator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/** Runs an operation in a closed loop on n threads for a while, recording latencies in microseconds. */
final class LoadLoop {
    /** One operation; returns normally when it counts as done. */
    @FunctionalInterface
    interface Operation {
        void run(ThreadLocalRandom random) throws Exception;
    }

    /** What a loop measured. */
    record Result(long operations, double seconds, Histogram latencyMicros) {
        double perSecond() {
            return operations / seconds;
        }
    }

    private LoadLoop() {
    }

    static Result run(int threads, double seconds, Operation operation) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Future<Histogram>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Histogram histogram = new Histogram(3_600_000_000L, 3);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    operation.run(random);
                    histogram.recordValue(Math.max(1, (System.nanoTime() - began) / 1000));
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
        return new Result(total.getTotalCount(), elapsed, total);
    }
}
