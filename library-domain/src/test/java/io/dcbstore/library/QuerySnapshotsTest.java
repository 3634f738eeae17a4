package io.dcbstore.library;

import static io.dcbstore.library.TestStores.addCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.internal.BooksInCirculationProjection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuerySnapshotsTest {
    private static final ReaderId ADA = ReaderId.of("ada");
    private static final ReaderId GRACE = ReaderId.of("grace");
    private static final QuerySettings SNAPSHOT_AFTER_TWO = QuerySettings.defaults().withSnapshotAfterEvents(2);

    private EventStore store;
    private RecordingStore recording;
    private LibraryCommands commands;
    private LibraryQueries fullReplay;

    @BeforeEach
    void createStore() {
        store = TestStores.newStore();
        recording = new RecordingStore(store);
        commands = LibraryCommands.create(store, TestStores.deterministicSettings());
        fullReplay = LibraryQueries.create(store, QuerySettings.defaults().withoutSnapshots());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aSnapshotMissReplaysEverythingAndSavesASnapshotWhenEnoughEventsWereApplied() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(recording, SNAPSHOT_AFTER_TWO);

        BooksInCirculation result = queries.booksInCirculation();

        assertThat(result.books()).hasSize(3);
        assertThat(recording.readsAfter).containsExactly(0L);
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 1, 1, 0, 0));
    }

    @Test
    void aSnapshotHitWithoutNewEventsReadsOnlyAfterTheSnapshotAndAnswersTheSame() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(recording, SNAPSHOT_AFTER_TWO);
        BooksInCirculation first = queries.booksInCirculation();

        BooksInCirculation second = queries.booksInCirculation();

        assertThat(second).isEqualTo(first);
        assertThat(recording.readsAfter).containsExactly(0L, first.sequenceNumber());
        assertThat(queries.snapshotStatistics().hits()).isEqualTo(1);
    }

    @Test
    void aSnapshotHitWithNewEventsAppliesOnlyThoseAndEqualsAFullReplay() {
        given(new RegisterReader(ADA, "Ada"), addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(recording, SNAPSHOT_AFTER_TWO);
        long snapshotAt = queries.booksInCirculation().sequenceNumber();
        given(new RemoveBookCopy(BookId.of("b1")), new LendBookCopyToReader(BookId.of("b2"), ADA), addCopy(BookId.of("b4")));

        BooksInCirculation fromSnapshot = queries.booksInCirculation();

        assertThat(fromSnapshot).isEqualTo(fullReplay.booksInCirculation());
        assertThat(recording.readsAfter).containsExactly(0L, snapshotAt);
        assertThat(fromSnapshot.sequenceNumber()).isGreaterThan(snapshotAt);
    }

    static Stream<Arguments> everyQuery() {
        return Stream.of(
                arguments("books in circulation", (Function<LibraryQueries, Object>) LibraryQueries::booksInCirculation),
                arguments("books lent by a reader", (Function<LibraryQueries, Object>) q -> q.booksLentByReader(ADA)),
                arguments("books lent out", (Function<LibraryQueries, Object>) LibraryQueries::booksLentOut),
                arguments("registered readers", (Function<LibraryQueries, Object>) LibraryQueries::registeredReaders),
                arguments("canceled readers", (Function<LibraryQueries, Object>) LibraryQueries::canceledReaders),
                arguments("removed books", (Function<LibraryQueries, Object>) LibraryQueries::removedBooks),
                arguments("finished lendings", (Function<LibraryQueries, Object>)
                        q -> q.finishedLendings(100, SortOrder.NEWEST_FIRST)));
    }

    @ParameterizedTest(name = "{0} answered from a snapshot equal a full replay")
    @MethodSource("everyQuery")
    void everyQueryAnsweredFromASnapshotEqualsAFullReplay(String name, Function<LibraryQueries, Object> query) {
        LibraryQueries queries = LibraryQueries.create(store, QuerySettings.defaults().withSnapshotAfterEvents(0));
        givenFirstHalfOfAHistory();
        Object beforeSnapshot = query.apply(queries);
        assertThat(beforeSnapshot).isEqualTo(query.apply(fullReplay));
        givenSecondHalfOfAHistory();

        Object fromSnapshot = query.apply(queries);

        assertThat(fromSnapshot).isEqualTo(query.apply(fullReplay)).isNotEqualTo(beforeSnapshot);
        assertThat(queries.snapshotStatistics().hits()).isEqualTo(1);
    }

    @Test
    void aLibraryOfTwentyThousandCopiesIsAnsweredFromItsSnapshotReadingOnlyTheNewEvents() {
        int copies = 20_000;
        for (int batch = 0; batch < copies / 1000; batch++) {
            int first = batch * 1000;
            store.append(IntStream.range(first, first + 1000)
                    .mapToObj(index -> LibraryEventCodec.encode(LibraryFixtures.added(BookId.of("bulk-" + index)),
                            new EventMetadata("m-" + index, "bulk", "bulk"), TestStores.START.plusSeconds(index)))
                    .toArray(Event[]::new));
        }
        LibraryQueries queries = LibraryQueries.create(recording, QuerySettings.defaults());
        long snapshotAt = queries.booksInCirculation().sequenceNumber();
        given(addCopy(BookId.of("one-more")));

        BooksInCirculation fromSnapshot = queries.booksInCirculation();

        assertThat(fromSnapshot.books()).hasSize(copies + 1);
        assertThat(fromSnapshot).isEqualTo(fullReplay.booksInCirculation());
        assertThat(recording.readsAfter).containsExactly(0L, snapshotAt);
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(1, 1, 1, 0, 0));
    }

    @Test
    void aStoreThatCannotSaveSnapshotsStillAnswersQueries() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        EventStore cannotSave = new DelegatingEventStore(store) {
            @Override
            public boolean saveSnapshot(Snapshot snapshot) {
                throw new DatabaseException("saving a snapshot failed: disk full", "53100", false, null);
            }
        };
        LibraryQueries queries = LibraryQueries.create(cannotSave, SNAPSHOT_AFTER_TWO);

        BooksInCirculation result = queries.booksInCirculation();

        assertThat(result).isEqualTo(fullReplay.booksInCirculation());
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 1, 0, 1, 0));
    }

    @Test
    void aStoreThatCannotLoadSnapshotsStillAnswersQueries() {
        given(addCopy(BookId.of("b1")));
        EventStore cannotLoad = new DelegatingEventStore(store) {
            @Override
            public Optional<Snapshot> loadSnapshot(String projectionType, String filterHash) {
                throw new DatabaseException("loading a snapshot failed", "08006", true, null);
            }
        };
        LibraryQueries queries = LibraryQueries.create(cannotLoad, SNAPSHOT_AFTER_TWO);

        assertThat(queries.booksInCirculation()).isEqualTo(fullReplay.booksInCirculation());
        assertThat(queries.snapshotStatistics().loadFailures()).isEqualTo(1);
    }

    @Test
    void anUnreadableSnapshotIsReplacedByAFullReplay() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")));
        BooksInCirculationProjection projection = new BooksInCirculationProjection();
        store.saveSnapshot(Snapshot.of(projection.type(), projection.filter(), 1, "{\"b1\": 42}"));
        LibraryQueries queries = LibraryQueries.create(store, SNAPSHOT_AFTER_TWO);

        assertThat(queries.booksInCirculation()).isEqualTo(fullReplay.booksInCirculation());
        assertThat(queries.snapshotStatistics().loadFailures()).isEqualTo(1);
    }

    @Test
    void eachReaderHasASnapshotOfTheirOwn() {
        given(new RegisterReader(ADA, "Ada"), new RegisterReader(GRACE, "Grace"), addCopy(BookId.of("b1")),
                addCopy(BookId.of("b2")), new LendBookCopyToReader(BookId.of("b1"), ADA),
                new LendBookCopyToReader(BookId.of("b2"), GRACE));
        LibraryQueries queries = LibraryQueries.create(store, QuerySettings.defaults().withSnapshotAfterEvents(0));
        queries.booksLentByReader(ADA);
        queries.booksLentByReader(GRACE);

        BooksLentByReader ada = queries.booksLentByReader(ADA);
        BooksLentByReader grace = queries.booksLentByReader(GRACE);

        assertThat(ada.books()).extracting(BooksLentByReader.Book::bookId).containsExactly(BookId.of("b1"));
        assertThat(grace.books()).extracting(BooksLentByReader.Book::bookId).containsExactly(BookId.of("b2"));
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(2, 2, 2, 0, 0));
    }

    @Test
    void withSnapshotsDisabledTheSnapshotTableIsNeverTouched() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(recording, QuerySettings.defaults().withoutSnapshots()
                .withSnapshotAfterEvents(0));

        queries.booksInCirculation();
        queries.booksInCirculation();

        assertThat(recording.snapshotCalls).hasValue(0);
        assertThat(recording.readsAfter).containsExactly(0L, 0L);
    }

    private void givenFirstHalfOfAHistory() {
        given(new RegisterReader(ADA, "Ada"), new RegisterReader(GRACE, "Grace"), addCopy(BookId.of("b1")),
                addCopy(BookId.of("b2")), addCopy(BookId.of("b3")), new LendBookCopyToReader(BookId.of("b1"), ADA),
                new LendBookCopyToReader(BookId.of("b2"), GRACE), new ReturnBookCopyFromReader(BookId.of("b2"), GRACE),
                new RemoveBookCopy(BookId.of("b3")), new CancelReaderContract(GRACE));
    }

    private void givenSecondHalfOfAHistory() {
        given(addCopy(BookId.of("b3")), addCopy(BookId.of("b4")), new RemoveBookCopy(BookId.of("b2")),
                new RegisterReader(GRACE, "Grace again"), new LendBookCopyToReader(BookId.of("b3"), ADA),
                new ReturnBookCopyFromReader(BookId.of("b1"), ADA), new LendBookCopyToReader(BookId.of("b4"), GRACE),
                new RegisterReader(ReaderId.of("linus"), "Linus"), new CancelReaderContract(ReaderId.of("linus")));
    }

    private void given(LibraryCommand... history) {
        for (LibraryCommand command : history) {
            assertThat(commands.handle(command).status()).as("%s", command).isEqualTo(Status.SUCCESS);
        }
    }

    /** Records where every query started reading and counts snapshot calls. */
    private static final class RecordingStore extends DelegatingEventStore {
        private final List<Long> readsAfter = new CopyOnWriteArrayList<>();
        private final AtomicInteger snapshotCalls = new AtomicInteger();

        RecordingStore(EventStore delegate) {
            super(delegate);
        }

        @Override
        public QueryResult query(Filter filter, ReadOptions options) {
            readsAfter.add(filter.sequenceNumberAfter());
            return super.query(filter, options);
        }

        @Override
        public boolean saveSnapshot(Snapshot snapshot) {
            snapshotCalls.incrementAndGet();
            return super.saveSnapshot(snapshot);
        }

        @Override
        public Optional<Snapshot> loadSnapshot(String projectionType, String filterHash) {
            snapshotCalls.incrementAndGet();
            return super.loadSnapshot(projectionType, filterHash);
        }
    }
}
