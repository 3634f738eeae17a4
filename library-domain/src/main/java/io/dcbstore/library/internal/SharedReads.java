package io.dcbstore.library.internal;

import io.dcbstore.Consistency;
import io.dcbstore.ReadOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Coalesces the reads of one projection: while a query reads and applies the events after the
 * cached state, the queries of the same projection that arrive meanwhile wait for that read
 * instead of each reading and applying the same events again, when the read serves them as well
 * as their own would have:
 *
 * <ul>
 *   <li>it started after they arrived (so it sees everything their own read would have seen), or,
 *       under bounded staleness, less than the bound before they arrived;
 *   <li>it is at least as strong: an eventual query shares a strong read, not the other way round.
 * </ul>
 *
 * A query that finds a read in flight that does not serve it waits for it to land and then looks
 * again (one of the waiting queries starts the next read, and the others share it): under load,
 * about one read per read's duration instead of one per query. A query waits for at most one read
 * that does not serve it (then it reads for itself, so that a stream of eventual reads cannot
 * starve a strong query), never for a read its own thread leads (a read that queries its own
 * projection), and stops waiting when interrupted. Only plain reads are shared (no commit token,
 * timeout or cancellation: those are the query's own); when a shared read fails, each query that
 * waited for it reads for itself.
 *
 * <p>Thread-safe.
 *
 * @param <K> the key of a projection
 */
final class SharedReads<K> {
    private final ConcurrentMap<K, Flight> flights = new ConcurrentHashMap<>();
    private final AtomicLong shared = new AtomicLong();

    /**
     * @param options a query's read options
     * @return whether the query may share another query's read
     */
    static boolean shareable(ReadOptions options) {
        return options.atLeast() == null && options.timeout() == null && options.cancellation() == null;
    }

    /**
     * Runs {@code read} unless a read of the same key that serves this query is in flight, in which
     * case its outcome is returned.
     *
     * @param key the projection
     * @param options the query's read options; {@link #shareable}
     * @param oldestUsableStart the earliest start (System.nanoTime) of a read that serves the query
     * @param read reads and projects; its outcome must be immutable, as several queries get it
     * @param <T> the outcome
     * @return the outcome of this query's read or of a shared one
     */
    <T> T read(K key, ReadOptions options, long oldestUsableStart, Supplier<T> read) {
        boolean strong = options.consistency() == Consistency.STRONG;
        boolean waited = false;
        while (true) {
            Flight inFlight = flights.get(key);
            if (inFlight == null) {
                Flight mine = new Flight(System.nanoTime(), strong, Thread.currentThread());
                if (flights.putIfAbsent(key, mine) != null) {
                    continue;
                }
                try {
                    T outcome = read.get();
                    flights.remove(key, mine);
                    mine.outcome.complete(outcome);
                    return outcome;
                } catch (Throwable e) { // also what a read throws undeclared (sneaky checked exceptions)
                    flights.remove(key, mine);
                    mine.outcome.completeExceptionally(e);
                    throw e;
                }
            }
            boolean serves = (inFlight.strong || !strong) && inFlight.startedNanos - oldestUsableStart >= 0;
            if (inFlight.leader == Thread.currentThread() || (waited && !serves)) {
                // A read that queries its own projection again must not wait for itself; and a query
                // waits for one read that does not serve it at most, so that a stream of weaker reads
                // cannot starve it.
                return read.get();
            }
            Object outcome = inFlight.await();
            if (outcome == Flight.INTERRUPTED) {
                return read.get(); // the interrupt is restored: the query's own read honours it
            }
            if (serves) {
                if (outcome == Flight.FAILED) {
                    return read.get();
                }
                shared.incrementAndGet();
                @SuppressWarnings("unchecked") // one key, one projection, one outcome type
                T sharedOutcome = (T) outcome;
                return sharedOutcome;
            }
            waited = true;
        }
    }

    /**
     * @param key a projection
     * @return how many queries have waited for the read of it now in flight, 0 when none is (for tests)
     */
    int waitersOnFlight(K key) {
        Flight inFlight = flights.get(key);
        return inFlight == null ? 0 : inFlight.waiters.get();
    }

    /** @return how many queries got another query's read instead of reading */
    long sharedCount() {
        return shared.get();
    }

    /** A read in flight: when it started, how strong it is, who leads it, and its outcome once it lands. */
    private static final class Flight {
        static final Object FAILED = new Object();
        static final Object INTERRUPTED = new Object();

        final long startedNanos;
        final boolean strong;
        final Thread leader;
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        final AtomicInteger waiters = new AtomicInteger();

        Flight(long startedNanos, boolean strong, Thread leader) {
            this.startedNanos = startedNanos;
            this.strong = strong;
            this.leader = leader;
        }

        /** @return the outcome, {@link #FAILED} when the read failed, {@link #INTERRUPTED} when the waiter was */
        Object await() {
            waiters.incrementAndGet();
            try {
                return outcome.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return INTERRUPTED;
            } catch (ExecutionException e) {
                return FAILED;
            }
        }
    }
}
