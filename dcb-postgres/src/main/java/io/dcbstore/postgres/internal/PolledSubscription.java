package io.dcbstore.postgres.internal;

import io.dcbstore.DatabaseException;
import io.dcbstore.EventStoreException;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.OperationCancelledException;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.SubscriptionState;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription read by a thread of its own: pages of matching events after the position read
 * so far, into a bounded buffer, until a page comes back short (caught up); then it waits for a
 * wake-up (an append, a notification) or the poll interval, and reads again. Each page stops at
 * the safe mark, so an event that commits late is read when it commits, never skipped; the
 * position advances only past pages read whole, so a failed read is retried from where it was,
 * without loss or duplicates.
 */
final class PolledSubscription implements EventSubscription {
    private static final Logger LOG = LoggerFactory.getLogger(PolledSubscription.class);
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /** Reads one page: the filter carries the position to read after. */
    @FunctionalInterface
    interface PageReader {
        EventPage read(Filter filter, int limit);
    }

    private final Filter filter;
    private final SubscriptionOptions options;
    private final PageReader pages;
    private final Consumer<PolledSubscription> onClose;
    private final BlockingQueue<StoredEvent> buffer;
    private final Thread reader;
    private final Object wakeLock = new Object();
    private boolean woken;
    private volatile SubscriptionState state = SubscriptionState.CATCHING_UP;
    private volatile EventStoreException failure;
    private volatile boolean closed;
    private volatile long position;
    /** The position the next page reads after; the reader thread's alone. */
    private long scannedThrough;

    PolledSubscription(
            Filter filter,
            long after,
            SubscriptionOptions options,
            PageReader pages,
            Consumer<PolledSubscription> onClose,
            String name) {
        this.filter = filter;
        this.options = options;
        this.pages = pages;
        this.onClose = onClose;
        this.buffer = new ArrayBlockingQueue<>(options.bufferSize());
        this.position = Math.max(after, filter.sequenceNumberAfter());
        this.scannedThrough = position;
        this.reader = new Thread(this::read, name);
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** Wakes the reader if it waits for new events: something was appended. */
    void wake() {
        synchronized (wakeLock) {
            woken = true;
            wakeLock.notifyAll();
        }
    }

    private void read() {
        long backoffMillis = 0;
        while (!closed) {
            try {
                synchronized (wakeLock) {
                    woken = false;
                }
                EventPage page = pages.read(filter.sequenceNumberAfter(scannedThrough), options.pageSize());
                state = page.full() ? SubscriptionState.CATCHING_UP : SubscriptionState.LIVE;
                for (StoredEvent event : page.events()) {
                    buffer.put(event);
                }
                scannedThrough = page.scannedThrough();
                backoffMillis = 0;
                if (!page.full()) {
                    awaitWake(options.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (EventStoreException e) {
                if (closed) {
                    return;
                }
                if (!e.isRetryable()) {
                    stop(e);
                    return;
                }
                state = SubscriptionState.RETRYING;
                backoffMillis = backoffMillis == 0
                        ? FIRST_RETRY_MILLIS
                        : Math.min(backoffMillis * 2, options.maxRetryBackoff().toMillis());
                LOG.debug(
                        "subscription read failed; retrying in {} ms from position {}",
                        backoffMillis,
                        scannedThrough,
                        e);
                if (!sleep(backoffMillis)) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    stop(new DatabaseException("subscription read failed", null, false, e));
                }
                return;
            }
        }
    }

    private void stop(EventStoreException cause) {
        LOG.warn("subscription stopped at position {}: {}", scannedThrough, cause.getMessage());
        failure = cause;
        state = SubscriptionState.STOPPED;
    }

    private void awaitWake(long millis) throws InterruptedException {
        synchronized (wakeLock) {
            if (!woken && !closed) {
                wakeLock.wait(millis);
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public StoredEvent next(Duration timeout) {
        if (closed) {
            return null;
        }
        StoredEvent event = buffer.poll();
        if (event == null) {
            EventStoreException stoppedBy = failure;
            if (stoppedBy != null) {
                throw stoppedBy;
            }
            try {
                event = buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationCancelledException("subscription", e);
            }
        }
        if (event == null || closed) {
            return null;
        }
        position = event.sequenceNumber();
        return event;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SubscriptionState state() {
        return state;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state = SubscriptionState.STOPPED;
        reader.interrupt();
        wake();
        buffer.clear();
        try {
            reader.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
    }
}
