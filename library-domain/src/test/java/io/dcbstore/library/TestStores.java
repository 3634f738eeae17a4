package io.dcbstore.library;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.DelegatingEventStore;
import io.dcbstore.testkit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Stores on tables of their own, and deterministic clocks and ids, for tests against PostgreSQL. */
final class TestStores {
    static final Instant START = Instant.parse("2025-01-01T09:00:00Z");

    private TestStores() {}

    /** @return a store on fresh tables with its own pool; closing it closes the pool */
    static EventStore newStore() {
        String table = TestDatabase.uniqueName("lib");
        HikariDataSource pool = TestDatabase.get().newPool(table, 12);
        PostgresEventStore store =
                PostgresEventStore.create(pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"));
        return new DelegatingEventStore(store) {
            @Override
            public void close() {
                super.close();
                pool.close();
            }
        };
    }

    /**
     * Two processes on the same fresh tables, each with its own pool: the second sends no
     * notifications, so the first's subscriptions learn of its appends only when they poll.
     *
     * @return the first store and the second
     */
    static EventStore[] twoProcesses() {
        String table = TestDatabase.uniqueName("lib");
        PostgresStoreConfig config = PostgresStoreConfig.defaults().withTables(table, table + "_snap");
        return new EventStore[] {storeOn(table, config), storeOn(table, config.withNotifyInterval(Duration.ZERO))};
    }

    private static EventStore storeOn(String table, PostgresStoreConfig config) {
        HikariDataSource pool = TestDatabase.get().newPool(table, 12);
        return new DelegatingEventStore(PostgresEventStore.create(pool, config)) {
            @Override
            public void close() {
                super.close();
                pool.close();
            }
        };
    }

    /** @return settings with a clock that ticks one second per reading and ids {@code id-1, id-2, ...} */
    static CommandSettings deterministicSettings() {
        return deterministicSettings("id");
    }

    /**
     * Settings for a second handler on the same store: message ids must be unique in a store (a
     * command's events get ids derived from its message id, and a message id seen again is taken
     * for a re-delivery of the same command).
     *
     * @param idPrefix the prefix of this handler's ids
     * @return settings with a ticking clock and ids {@code <prefix>-1, <prefix>-2, ...}
     */
    static CommandSettings deterministicSettings(String idPrefix) {
        return CommandSettings.defaults().withClock(new TickingClock()).withMessageIds(countingIds(idPrefix));
    }

    /** @return ids {@code <prefix>-1, <prefix>-2, ...}; thread-safe */
    static Supplier<String> countingIds(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return () -> prefix + "-" + next.incrementAndGet();
    }

    /** @return every event in the store, decoded */
    static List<RecordedLibraryEvent> log(EventStore store) {
        return store.query(Filter.matchAll()).events().stream()
                .map(LibraryEventCodec::decode)
                .toList();
    }

    /** @return the details of a book, titled after its id so results are easy to tell apart */
    static BookDetails detailsOf(BookId bookId) {
        return new BookDetails(
                "isbn-" + bookId.value(), "Title " + bookId.value(), "An Author", "1st", "A Press", 2001);
    }

    /** @return a command adding the copy with {@link #detailsOf} */
    static AddBookCopy addCopy(BookId bookId) {
        return new AddBookCopy(bookId, detailsOf(bookId));
    }

    /** A clock that starts at {@link #START} and advances one second each time it is read. Thread-safe. */
    static final class TickingClock extends Clock {
        private final AtomicLong ticks = new AtomicLong();

        @Override
        public Instant instant() {
            return START.plus(Duration.ofSeconds(ticks.getAndIncrement()));
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock stays in UTC");
        }
    }
}
