package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.testkit.TestDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link AppendNotifier}'s join: appends that come while a notification is pending or being sent
 * share the next one, none is lost, and {@code close()} waits for a sender in the middle of one.
 * The order is forced, not timed: the notifier's data source holds its sender at its first
 * connection until the test lets it go; the notifications are sent to the real server and counted
 * by a session that listens on the channel.
 */
class AppendNotifierTest {
    private final TestDatabase database = TestDatabase.get();
    private final String channel = "dcb_" + TestDatabase.uniqueName("an");
    private HoldingFirstConnection source;
    private Connection listener;
    private int received;

    @BeforeEach
    void listenOnTheChannel() throws SQLException {
        source = new HoldingFirstConnection(database.unpooled());
        listener = database.unpooled().getConnection();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + channel);
        }
    }

    @AfterEach
    void closeTheListener() throws SQLException {
        source.release();
        listener.close();
    }

    @Test
    void appendsMadeWhileANotificationIsBeingSentAllJoinTheNextOneAndALaterAppendGetsItsOwn() throws Exception {
        AppendNotifier notifier = new AppendNotifier(source, channel, Duration.ofMillis(1));
        try {
            notifier.appended();
            source.awaitHeld();
            for (int i = 0; i < 5; i++) {
                notifier.appended();
            }
            source.release();
            awaitNotifications(2);

            notifier.appended();
            awaitNotifications(3);
        } finally {
            notifier.close();
        }

        assertThat(source.connectionsTaken())
                .as("notifications sent: the first, one for the five appends made during it, one for the last append")
                .isEqualTo(3);
        assertThat(notificationsReceived())
                .as("notifications the listening session received")
                .isEqualTo(3);
    }

    @Test
    void closeReturnsOnlyOnceTheSenderInTheMiddleOfANotificationHasEndedAndThatNotificationStillGoesOut()
            throws Exception {
        AppendNotifier notifier = new AppendNotifier(source, channel, Duration.ofMillis(1));
        notifier.appended();
        Thread sender = source.awaitHeld();
        AtomicReference<Boolean> senderAliveWhenCloseReturned = new AtomicReference<>();
        Thread closer = new Thread(
                () -> {
                    notifier.close();
                    senderAliveWhenCloseReturned.set(sender.isAlive());
                },
                "test-closer");
        closer.start();
        // close() has signalled and now waits for the sender (or, without the wait, has returned).
        await(
                () -> closer.getState() == Thread.State.TIMED_WAITING || !closer.isAlive(),
                () -> "close() waiting for the sender or returned, is " + closer.getState());
        source.release();
        closer.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(senderAliveWhenCloseReturned.get())
                .as("the sender still ran when close() returned")
                .isFalse();
        assertThat(source.connectionsTaken()).isOne();
        awaitNotifications(1);
    }

    /** Counts what the listener received so far; a round trip fetches notifications already sent. */
    private int notificationsReceived() throws SQLException {
        try (Statement statement = listener.createStatement()) {
            statement.execute("SELECT 1");
        }
        PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications();
        for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
            assertThat(notification.getName()).isEqualTo(channel);
            received++;
        }
        return received;
    }

    private void awaitNotifications(int count) {
        await(
                () -> {
                    try {
                        return notificationsReceived() >= count;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                },
                () -> count + " notifications on " + channel + ", got " + received);
    }

    /** Polls a condition every 10 ms for up to 10 s. */
    private static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
        }
    }

    /**
     * The notifier's data source: the first connection it asks for is held back until the test
     * releases it (the sender is then in the middle of a notification); every connection is real.
     */
    private static final class HoldingFirstConnection implements DataSource {
        private final DataSource server;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);
        private final AtomicInteger taken = new AtomicInteger();
        private volatile Thread heldThread;

        HoldingFirstConnection(DataSource server) {
            this.server = server;
        }

        /** @return the thread held at its first connection, once it is held */
        Thread awaitHeld() throws InterruptedException {
            assertThat(held.await(10, TimeUnit.SECONDS))
                    .as("the sender asked for its first connection")
                    .isTrue();
            return heldThread;
        }

        void release() {
            released.countDown();
        }

        int connectionsTaken() {
            return taken.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (first.getAndSet(false)) {
                heldThread = Thread.currentThread();
                held.countDown();
                try {
                    if (!released.await(30, TimeUnit.SECONDS)) {
                        throw new SQLException("the test never released the held connection");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while held", e);
                }
            }
            taken.incrementAndGet();
            return server.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLException("not supported");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // Not used.
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // Not used.
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return server.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return server.isWrapperFor(type);
        }
    }
}
