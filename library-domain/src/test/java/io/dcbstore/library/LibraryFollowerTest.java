package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.DatabaseException;
import io.dcbstore.EventStore;
import io.dcbstore.EventSubscription;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.SubscriptionOptions;
import io.dcbstore.SubscriptionState;
import io.dcbstore.testkit.DelegatingEventStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LibraryFollowerTest {
    /** So stale that, without a follower, a cached state answers eventual queries for the whole test. */
    private static final QuerySettings AN_HOUR_STALE = QuerySettings.defaults().withMaxStaleness(Duration.ofHours(1));

    private EventStore store;
    private LibraryCommands commands;

    @BeforeEach
    void createStore() {
        store = TestStores.newStore();
        commands = LibraryCommands.create(store, TestStores.deterministicSettings());
        commands.handle(new AddBookCopy(BOOK, DETAILS));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static List<String> bookIds(BooksInCirculation books) {
        return books.books().stream().map(book -> book.bookId().value()).toList();
    }

    @Test
    void aFollowerBringsTheLibraryWideResultsUpToDateSoStaleQueriesSeeNewEventsWithoutReading() {
        LibraryQueries followed = LibraryQueries.create(store, AN_HOUR_STALE);
        LibraryQueries unfollowed = LibraryQueries.create(store, AN_HOUR_STALE);
        assertThat(bookIds(unfollowed.booksInCirculation())).containsExactly(BOOK.value());
        assertThat(bookIds(followed.booksInCirculation())).containsExactly(BOOK.value());
        try (LibraryFollower follower = LibraryFollower.start(store, followed)) {
            long added = commands.handle(new AddBookCopy(OTHER_BOOK, DETAILS))
                    .appendResult()
                    .lastSequenceNumber();

            awaitCaughtUp(follower, added);

            assertThat(follower.caughtUpTo()).isGreaterThanOrEqualTo(added);
            assertThat(bookIds(followed.booksInCirculation())).containsExactly(BOOK.value(), OTHER_BOOK.value());
            assertThat(bookIds(unfollowed.booksInCirculation()))
                    .as("without a follower, the cached state answers for an hour")
                    .containsExactly(BOOK.value());
        }
    }

    @Test
    void aFollowerWhoseSubscriptionStoppedSubscribesAgainAndCatchesUp() {
        AtomicInteger subscribed = new AtomicInteger();
        EventStore failingOnce = new DelegatingEventStore(store) {
            @Override
            public EventSubscription subscribe(Filter filter, long after, SubscriptionOptions options) {
                if (subscribed.incrementAndGet() == 1) {
                    return new StoppedSubscription(after);
                }
                return super.subscribe(filter, after, options);
            }
        };
        LibraryQueries queries = LibraryQueries.create(store, AN_HOUR_STALE);
        try (LibraryFollower follower = LibraryFollower.start(failingOnce, queries)) {
            long added = commands.handle(new AddBookCopy(OTHER_BOOK, DETAILS))
                    .appendResult()
                    .lastSequenceNumber();
            awaitCaughtUp(follower, added);
            assertThat(subscribed).hasValue(2);
            assertThat(bookIds(queries.booksInCirculation())).containsExactly(BOOK.value(), OTHER_BOOK.value());
        }
    }

    @Test
    void aFollowerKeepsOnlyTheProjectionsTheProcessQueriedCurrentNotEveryOneFromTheStart() {
        Set<String> caughtUp = ConcurrentHashMap.newKeySet();
        EventStore recording = new DelegatingEventStore(store) {
            @Override
            public QueryResult query(Filter filter, ReadOptions options) {
                caughtUp.add(filter.sequenceNumberAfter(0).hash());
                return super.query(filter, options);
            }
        };
        LibraryQueries queries = LibraryQueries.create(recording, AN_HOUR_STALE);
        queries.booksInCirculation();
        queries.booksLentOut();
        caughtUp.clear();
        try (LibraryFollower follower = LibraryFollower.start(recording, queries)) {
            long added = commands.handle(new AddBookCopy(OTHER_BOOK, DETAILS))
                    .appendResult()
                    .lastSequenceNumber();
            awaitCaughtUp(follower, added);

            assertThat(follower.caughtUpTo()).isGreaterThanOrEqualTo(added);
            assertThat(caughtUp).as("the two projections queried, and no other").hasSize(2);
            assertThat(bookIds(queries.booksInCirculation())).containsExactly(BOOK.value(), OTHER_BOOK.value());
        }
    }

    private static void awaitCaughtUp(LibraryFollower follower, long sequenceNumber) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (follower.caughtUpTo() < sequenceNumber && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** A subscription that failed for good at once. */
    private static final class StoppedSubscription implements EventSubscription {
        private final long position;

        StoppedSubscription(long position) {
            this.position = position;
        }

        @Override
        public StoredEvent next(Duration timeout) {
            throw new DatabaseException("the subscription failed", null, false, null);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SubscriptionState state() {
            return SubscriptionState.STOPPED;
        }

        @Override
        public void close() {}
    }
}
