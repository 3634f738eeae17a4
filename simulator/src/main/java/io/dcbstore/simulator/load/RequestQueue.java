package io.dcbstore.simulator.load;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue between the pacing thread and the workers: the request queue of the application
 * server that the simulator plays. Requests are taken oldest first while the queue keeps up; once
 * the oldest has waited longer than {@code lifoAfterNanos} the queue is standing (the server is
 * overloaded), and with {@link Policy#ADAPTIVE_LIFO} the newest request is taken instead.
 * Requests that waited longer than their timeout are never started: they are handed back to be
 * counted as shed.
 *
 * <p>Why: in a first-in-first-out queue a backlog of one timeout makes every request wait that
 * long, so every request times out although the server works at full speed (measured: 1,000
 * req/s achieved, p50 1,000 ms, half the requests timing out, for minutes, on a machine whose
 * capacity had returned). Serving the newest first keeps most requests within their timeout
 * during an overload, only the excess ages out, and the server recovers as soon as capacity
 * returns; the same policy is described in "Fail at Scale" (Maurer, ACM Queue 2015) as adaptive
 * LIFO.
 */
public final class RequestQueue {
    /** How the next request is chosen. */
    public enum Policy {
        /** Always the oldest. */
        FIFO,
        /** The oldest while the queue keeps up, the newest once it is standing. */
        ADAPTIVE_LIFO
    }

    /** What a worker gets: a request to run (or none when the queue is closed and empty), and the ones to count as shed. */
    public record Taken(Workload.Request request, List<Workload.Request> shed) {}

    private final Policy policy;
    private final long timeoutNanos;
    private final long lifoAfterNanos;
    private final LoadGenerator.Clock clock;
    private final ArrayDeque<Workload.Request> requests = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private boolean closed;

    /**
     * @param policy how the next request is chosen
     * @param timeoutNanos requests that waited longer are shed
     * @param lifoAfterNanos how long the oldest request may wait before the queue counts as standing
     * @param clock the clock
     */
    public RequestQueue(Policy policy, long timeoutNanos, long lifoAfterNanos, LoadGenerator.Clock clock) {
        if (timeoutNanos <= 0 || lifoAfterNanos <= 0) {
            throw new IllegalArgumentException("timeout and LIFO threshold must be positive");
        }
        this.policy = policy;
        this.timeoutNanos = timeoutNanos;
        this.lifoAfterNanos = lifoAfterNanos;
        this.clock = clock;
    }

    /** @param request a request due now, appended at the tail */
    public void offer(Workload.Request request) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the queue is closed");
            }
            requests.addLast(request);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** No more requests will be offered; workers drain what is left, then get none. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a request.
     *
     * @return the request to run (null once closed and empty) and the expired ones removed on the way
     * @throws InterruptedException when the worker is interrupted
     */
    public Taken take() throws InterruptedException {
        lock.lock();
        try {
            while (requests.isEmpty() && !closed) {
                notEmpty.await();
            }
            return next(clock.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes without waiting, at a given time (for tests and for {@link #take}).
     *
     * @param now the current time
     * @return the request (null when none is left) and the expired ones removed on the way
     */
    Taken next(long now) {
        lock.lock();
        try {
            List<Workload.Request> shed = List.of();
            while (!requests.isEmpty() && now - requests.peekFirst().intendedNanos() > timeoutNanos) {
                if (shed.isEmpty()) {
                    shed = new ArrayList<>();
                }
                shed.add(requests.pollFirst());
            }
            if (requests.isEmpty()) {
                return new Taken(null, shed);
            }
            boolean standing = now - requests.peekFirst().intendedNanos() > lifoAfterNanos;
            Workload.Request request =
                    policy == Policy.ADAPTIVE_LIFO && standing ? requests.pollLast() : requests.pollFirst();
            return new Taken(request, shed);
        } finally {
            lock.unlock();
        }
    }

    /** @return requests waiting */
    public int size() {
        lock.lock();
        try {
            return requests.size();
        } finally {
            lock.unlock();
        }
    }
}
