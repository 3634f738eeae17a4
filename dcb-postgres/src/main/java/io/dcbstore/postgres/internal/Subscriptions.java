package io.dcbstore.postgres.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.ConfigurationException;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.InvalidInputException;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's subscriptions, and how they learn of new events: this store's appends wake them at
 * once; other processes' appends reach them by {@code NOTIFY} on the primary (a listener, started
 * with the first subscription, holds one pooled connection); otherwise they poll.
 */
public final class Subscriptions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    private final DataSource primary;
    private final ReadRouter router;
    private final String channel;
    private final AppendNotifier notifier;
    private final Set<PolledSubscription> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong names = new AtomicLong();
    private final boolean listen;
    private NotificationListener listener;
    private boolean closed;
    private boolean toldNotListening;

    /**
     * @param primary the primary's pool
     * @param router reads the pages
     * @param config the store's configuration (the channel is named after the events table)
     * @param listen whether to LISTEN for other processes' appends on a connection of the primary's
     *     pool; false behind a pooler in transaction mode, where a LISTEN stays on whichever server
     *     connection ran it and the notifications reach another client or none (subscriptions then
     *     wake on this store's own appends and poll for the others')
     */
    public Subscriptions(DataSource primary, ReadRouter router, PostgresStoreConfig config, boolean listen) {
        this.primary = primary;
        this.listen = listen;
        this.router = router;
        this.channel = "dcb_" + config.eventsTable();
        this.notifier =
                config.notifyInterval().isZero() ? null : new AppendNotifier(primary, channel, config.notifyInterval());
    }

    /**
     * @param filter what to follow
     * @param after the position to start after
     * @param options how to read
     * @return the started subscription
     */
    public EventSubscription subscribe(Filter filter, long after, SubscriptionOptions options) {
        if (filter == null || options == null) {
            throw new InvalidInputException("subscribe needs a filter and options");
        }
        if (after < 0) {
            throw new InvalidInputException("the position to subscribe after must not be negative, got " + after);
        }
        PolledSubscription subscription = new PolledSubscription(
                filter,
                after,
                options,
                (page, limit) -> router.page(page, limit, options.consistency()),
                this::forget,
                "dcb-subscription-" + names.incrementAndGet());
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            if (listen) {
                requireRoomForTheListener();
                if (listener == null) {
                    listener = new NotificationListener(primary, channel, this::wakeAll);
                }
            } else if (!toldNotListening) {
                toldNotListening = true;
                LOG.info(
                        "the primary is reached through a connection pooler in transaction mode, where LISTEN does"
                                + " not stay with a client: subscriptions wake at once on this store's appends and poll every {}"
                                + " for other processes' (SubscriptionOptions.pollInterval)",
                        options.pollInterval());
            }
            open.add(subscription);
        }
        subscription.start();
        return subscription;
    }

    /** This store appended: wake its subscriptions, and notify other processes'. */
    public void appended() {
        wakeAll();
        if (notifier != null) {
            notifier.appended();
        }
    }

    private void wakeAll() {
        for (PolledSubscription subscription : open) {
            subscription.wake();
        }
    }

    /** A subscription closed: when it was the last, the listener gives its connection back. */
    private void forget(PolledSubscription subscription) {
        NotificationListener idle = null;
        synchronized (this) {
            open.remove(subscription);
            if (open.isEmpty() && listener != null) {
                idle = listener;
                listener = null;
            }
        }
        if (idle != null) {
            idle.close();
        }
    }

    /**
     * The listener holds one connection of the primary's pool while subscriptions are open; a
     * pool of one would then have none left for appends, reads and the subscriptions' pages.
     */
    private void requireRoomForTheListener() {
        if (listener == null && primary instanceof HikariDataSource pool && pool.getMaximumPoolSize() < 2) {
            throw new ConfigurationException("subscriptions hold one connection of the primary's pool for LISTEN,"
                    + " and its maximumPoolSize is " + pool.getMaximumPoolSize() + ": make it at least 2");
        }
    }

    @Override
    public void close() {
        NotificationListener listening;
        synchronized (this) {
            closed = true;
            listening = listener;
            listener = null;
        }
        // Signal every reader first, then wait for them all against one deadline.
        List<PolledSubscription> closing = List.copyOf(open);
        closing.forEach(PolledSubscription::signalClose);
        long deadline = System.nanoTime() + PolledSubscription.CLOSE_WAIT_NANOS;
        closing.forEach(subscription -> subscription.awaitClosed(deadline));
        if (listening != null) {
            listening.close();
        }
        if (notifier != null) {
            notifier.close();
        }
    }
}
