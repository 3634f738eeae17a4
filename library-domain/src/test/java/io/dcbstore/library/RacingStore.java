package io.dcbstore.library;

import io.dcbstore.AppendCondition;
import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendOptions;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.testkit.DelegatingEventStore;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that forces a race instead of hoping for one: a racer {@linkplain #arm() arms} its next
 * command, and that command's first read of its boundary returns only once every racer has read
 * (a barrier), so all of them decide from what they read before any of them appends. It counts,
 * as the server reports them, the appends refused because their condition failed.
 */
final class RacingStore extends DelegatingEventStore {
    private final CyclicBarrier everyRacerHasRead;
    private final ThreadLocal<Boolean> armed = ThreadLocal.withInitial(() -> false);
    private final List<Long> positionsRead = new CopyOnWriteArrayList<>();
    private final AtomicInteger conflicts = new AtomicInteger();

    /**
     * @param real the store to race on
     * @param racers how many threads read before any of them goes on
     */
    RacingStore(EventStore real, int racers) {
        super(real);
        this.everyRacerHasRead = new CyclicBarrier(racers);
    }

    /** The calling thread's next query waits, after reading, until every racer has read. */
    void arm() {
        armed.set(true);
    }

    @Override
    public QueryResult query(Filter filter, ReadOptions options) {
        QueryResult read = super.query(filter, options);
        if (armed.get()) {
            armed.set(false);
            positionsRead.add(read.maxSequenceNumber());
            awaitEveryRacer();
        }
        return read;
    }

    @Override
    public AppendResult append(List<Event> events, AppendCondition condition, AppendOptions options) {
        try {
            return super.append(events, condition, options);
        } catch (AppendConditionFailedException conflict) {
            conflicts.incrementAndGet();
            throw conflict;
        }
    }

    /** @return the appends the store refused because their condition failed */
    int conflicts() {
        return conflicts.get();
    }

    /** @return the boundary positions the armed reads saw, in the order they were read */
    List<Long> positionsRead() {
        return List.copyOf(positionsRead);
    }

    private void awaitEveryRacer() {
        try {
            everyRacerHasRead.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the other racers", e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("the other racers did not all read their boundaries", e);
        }
    }
}
