package io.dcbstore.postgres;

import io.dcbstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the server shows of one application's sessions ({@code pg_stat_activity}, filtered by
 * {@code application_name}), read on a connection of its own, and what the JVM shows of threads.
 */
final class ServerSessions {
    private ServerSessions() {}

    /**
     * One server session.
     *
     * @param pid its backend process
     * @param state {@code active}, {@code idle}, {@code idle in transaction}, ...
     * @param waitEventType what it waits for ({@code Lock}, {@code Client}, ...), or null
     * @param holdsSnapshot whether it holds a snapshot ({@code backend_xmin}): an open transaction or cursor
     * @param query its current or last statement
     */
    record Session(int pid, String state, String waitEventType, boolean holdsSnapshot, String query) {}

    /**
     * @param applicationName the sessions' {@code application_name}
     * @return its sessions now
     */
    static List<Session> of(String applicationName) {
        try (Connection observer = TestDatabase.get().unpooled().getConnection();
                PreparedStatement statement = observer.prepareStatement(
                        "SELECT pid, state, wait_event_type, backend_xmin IS NOT NULL, query FROM pg_stat_activity"
                                + " WHERE application_name = ? AND pid <> pg_backend_pid() ORDER BY pid")) {
            statement.setString(1, applicationName);
            List<Session> sessions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sessions.add(new Session(
                            rows.getInt(1),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getBoolean(4),
                            rows.getString(5)));
                }
            }
            return sessions;
        } catch (SQLException e) {
            throw new IllegalStateException("reading pg_stat_activity failed", e);
        }
    }

    /** Waits until a session of the application waits for a lock: the store's statement is held up on the server. */
    static void awaitLockWait(String applicationName) {
        await(
                () -> of(applicationName).stream()
                        .anyMatch(
                                session -> "active".equals(session.state()) && "Lock".equals(session.waitEventType())),
                () -> "a session of " + applicationName + " waiting for a lock");
    }

    /** Waits until the application has no session that is not idle (a backend that was killed may take a moment). */
    static void awaitAllIdle(String applicationName) {
        await(
                () -> of(applicationName).stream().allMatch(session -> "idle".equals(session.state())),
                () -> "every session of " + applicationName + " idle, got " + of(applicationName));
    }

    /** Waits until the application has no server session (a closed pool's connections may take a moment to go). */
    static void awaitNoSession(String applicationName) {
        await(
                () -> of(applicationName).isEmpty(),
                () -> "no server session of " + applicationName + ", left: " + of(applicationName));
    }

    /**
     * Terminates a server session, as an administrator or a failing network would.
     *
     * @param pid its backend process
     */
    static void terminate(int pid) {
        TestDatabase.get().execute("SELECT pg_terminate_backend(" + pid + ")");
    }

    /** @return the names of the JVM's live threads */
    static Set<String> liveThreadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive()) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    /** @return the live threads whose names start with the prefix, but the store-wide abandonment timer */
    static Set<String> threadsNamed(String prefix) {
        Set<String> threads = new TreeSet<>();
        for (String name : liveThreadNames()) {
            if (name.startsWith(prefix) && !name.equals("dcb-abandon-cancelled")) {
                threads.add(name);
            }
        }
        return threads;
    }

    /** @return the live threads of the store's pools and its own ({@code dcb-...}), but the abandonment timer */
    static Set<String> storeThreads() {
        return threadsNamed("dcb-");
    }

    /** @return the store's threads that were not running before: a thread of another pool may end meanwhile */
    static Set<String> startedSince(Set<String> before) {
        Set<String> started = storeThreads();
        started.removeAll(before);
        return started;
    }

    /**
     * Waits until every store thread started since has ended. A store's close waits for its
     * subscriptions' readers, its listener and its notification sender; a pool's threads end on
     * their own right after it closes: allowed a bounded moment.
     */
    static void awaitNoneStartedSince(Set<String> before) {
        await(() -> startedSince(before).isEmpty(), () -> "the store's threads ended, left: " + startedSince(before));
    }

    /**
     * Polls a condition for up to 10 s.
     *
     * @param condition what to wait for
     * @param what its description, for the failure
     */
    static void await(BooleanSupplier condition, Supplier<String> what) {
        await(condition, what, Duration.ofSeconds(10));
    }

    /**
     * Polls a condition every 10 ms until it holds or the time is up.
     *
     * @param condition what to wait for
     * @param what its description, for the failure
     * @param timeout how long to wait
     */
    static void await(BooleanSupplier condition, Supplier<String> what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not within " + timeout.toString().substring(2).toLowerCase(Locale.ROOT) + ": " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
        }
    }
}
