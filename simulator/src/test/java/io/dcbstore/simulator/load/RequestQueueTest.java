package io.dcbstore.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestQueueTest {
    private static final long MS = 1_000_000;
    private static final long TIMEOUT = 1_000 * MS;
    private static final long LIFO_AFTER = 50 * MS;

    private static RequestQueue queue(RequestQueue.Policy policy) {
        return new RequestQueue(policy, TIMEOUT, LIFO_AFTER, LoadGenerator.Clock.SYSTEM);
    }

    private static Workload.Request dueAt(long millis) {
        return new Workload.Request(RequestKind.BOOKS_LENT_OUT, null, null, millis * MS);
    }

    private static long dueMillis(RequestQueue.Taken taken) {
        return taken.request().intendedNanos() / MS;
    }

    @Test
    void whileTheOldestRequestIsFreshRequestsAreTakenInOrder() {
        RequestQueue queue = queue(RequestQueue.Policy.ADAPTIVE_LIFO);
        queue.offer(dueAt(100));
        queue.offer(dueAt(110));
        queue.offer(dueAt(120));

        assertThat(dueMillis(queue.next(140 * MS))).isEqualTo(100);
        assertThat(dueMillis(queue.next(140 * MS))).isEqualTo(110);
    }

    @Test
    void onceTheOldestRequestHasWaitedTooLongTheNewestIsTakenFirst() {
        RequestQueue queue = queue(RequestQueue.Policy.ADAPTIVE_LIFO);
        for (long due = 0; due <= 300; due += 10) {
            queue.offer(dueAt(due));
        }

        RequestQueue.Taken first = queue.next(305 * MS);
        RequestQueue.Taken second = queue.next(306 * MS);

        assertThat(dueMillis(first)).isEqualTo(300);
        assertThat(dueMillis(second)).isEqualTo(290);
        assertThat(first.shed()).isEmpty();
    }

    @Test
    void aFifoQueueAlwaysTakesTheOldest() {
        RequestQueue queue = queue(RequestQueue.Policy.FIFO);
        for (long due = 0; due <= 300; due += 10) {
            queue.offer(dueAt(due));
        }

        assertThat(dueMillis(queue.next(305 * MS))).isEqualTo(0);
        assertThat(dueMillis(queue.next(306 * MS))).isEqualTo(10);
    }

    @Test
    void requestsOlderThanTheTimeoutAreHandedBackAsShedAndNeverTaken() {
        RequestQueue queue = queue(RequestQueue.Policy.FIFO);
        queue.offer(dueAt(0));
        queue.offer(dueAt(500));
        queue.offer(dueAt(1_200));

        RequestQueue.Taken taken = queue.next(1_300 * MS);

        assertThat(taken.shed())
                .extracting(request -> request.intendedNanos() / MS)
                .containsExactly(0L);
        assertThat(dueMillis(taken)).isEqualTo(500);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void whenOnlyExpiredRequestsAreLeftNoneIsTakenAndAllAreShed() {
        RequestQueue queue = queue(RequestQueue.Policy.ADAPTIVE_LIFO);
        queue.offer(dueAt(0));
        queue.offer(dueAt(10));

        RequestQueue.Taken taken = queue.next(2_000 * MS);

        assertThat(taken.request()).isNull();
        assertThat(taken.shed()).hasSize(2);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aClosedQueueIsDrainedThenReleasesItsWorkers() throws Exception {
        RequestQueue queue =
                new RequestQueue(RequestQueue.Policy.FIFO, 60_000 * MS, LIFO_AFTER, LoadGenerator.Clock.SYSTEM);
        long now = System.nanoTime();
        queue.offer(new Workload.Request(RequestKind.BOOKS_LENT_OUT, null, null, now));
        CompletableFuture<RequestQueue.Taken> waiting = new CompletableFuture<>();
        queue.close();

        assertThat(queue.take().request()).isNotNull();
        Thread worker = new Thread(() -> {
            try {
                waiting.complete(queue.take());
            } catch (InterruptedException e) {
                waiting.completeExceptionally(e);
            }
        });
        worker.start();
        RequestQueue.Taken last = waiting.get(5, TimeUnit.SECONDS);
        assertThat(last.request()).isNull();
        assertThat(last.shed()).isEmpty();
        assertThatThrownBy(() -> queue.offer(new Workload.Request(RequestKind.BOOKS_LENT_OUT, null, null, now)))
                .isInstanceOf(IllegalStateException.class);
    }
}
