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
import java.time.Instant;
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
    /** Put after the last event when the subscription stops or closes: wakes a waiting consumer. */
    private static final StoredEvent END = new StoredEvent(Long.MAX_VALUE, "End", "{}", "{}", Instant.EPOCH);

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
                setState(page.more() ? SubscriptionState.CATCHING_UP : SubscriptionState.LIVE);
                for (StoredEvent event : page.events()) {
                    buffer.put(event);
                }
                scannedThrough = page.scannedThrough();
                backoffMillis = 0;
                if (!page.more()) {
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
                setState(SubscriptionState.RETRYING);
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
            } catch (Throwable e) { // whatever ended the reader, the consumer must learn of it
                if (!closed) {
                    stop(new DatabaseException("subscription read failed: " + e, null, false, e));
                }
                return;
            }
        }
    }

    /** Sets the state, unless the subscription was closed or stopped: those stay. */
    private void setState(SubscriptionState next) {
        synchronized (wakeLock) {
            if (!closed && state != SubscriptionState.STOPPED) {
                state = next;
            }
        }
    }

    private void stop(EventStoreException cause) {
        LOG.warn("subscription stopped at position {}: {}", scannedThrough, cause.getMessage());
        failure = cause;
        synchronized (wakeLock) {
            state = SubscriptionState.STOPPED;
        }
        // The events read before the failure stay; the end marker follows them (put waits for
        // room: the consumer takes the events first).
        try {
            buffer.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        StoredEvent event;
        try {
            event = buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCancelledException("subscription", e);
        }
        if (event == END) {
            // Leave the marker for the next call, then report why the subscription ended.
            buffer.offer(END);
            EventStoreException stoppedBy = failure;
            if (stoppedBy != null && !closed) {
                throw stoppedBy;
            }
            return null;
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
        signalClose();
        awaitClosed(System.nanoTime() + CLOSE_WAIT_NANOS);
    }

    /** Closes without waiting for the reader: for closing many at once. */
    void signalClose() {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            closed = true;
            state = SubscriptionState.STOPPED;
            woken = true;
            wakeLock.notifyAll();
        }
        reader.interrupt();
        buffer.clear();
        buffer.offer(END);
    }

    /**
     * Waits until the reader ended, or the deadline passed (a reader in a database call ends when
     * the call does), then lets the owner forget this subscription.
     *
     * @param deadline a {@link System#nanoTime()}
     */
    void awaitClosed(long deadline) {
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
    }

    /** How long {@link #close()} waits for the reader. */
    static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
}
