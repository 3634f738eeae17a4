package io.dcbstore.library;

import static io.dcbstore.library.TestStores.addCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.CommitToken;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.internal.BooksInCirculationProjection;
import io.dcbstore.testkit.DelegatingEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /**
     * Store snapshots only: these tests are about the store layer, which the memory cache would hide;
     * saved by event count alone, as their states are tiny.
     */
    /** Saves inside the query that finds one due, so that a test sees it when the query returns. */
    private static final QuerySettings IN_QUERY = QuerySettings.defaults().withSnapshotsSavedInBackground(false);

    private static final QuerySettings STORE_SNAPSHOTS_ONLY =
            IN_QUERY.withMemoryCache(false).withSnapshotsScaledToState(false);

    private static final QuerySettings SNAPSHOT_AFTER_TWO = STORE_SNAPSHOTS_ONLY.withSnapshotAfterEvents(2);
    private static final QuerySettings FULL_REPLAY = IN_QUERY.withoutSnapshots().withMemoryCache(false);

    private EventStore store;
    private RecordingStore recording;
    private LibraryCommands commands;
    private LibraryQueries fullReplay;

    @BeforeEach
    void createStore() {
        store = TestStores.newStore();
        recording = new RecordingStore(store);
        commands = LibraryCommands.create(store, TestStores.deterministicSettings());
        fullReplay = LibraryQueries.create(store, FULL_REPLAY);
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
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 1, 1, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void byDefaultASnapshotWaitsForMoreNewEventsThanItsStateHasEntries() {
        given(
                new RegisterReader(ADA, "Ada"),
                addCopy(BookId.of("b1")),
                addCopy(BookId.of("b2")),
                addCopy(BookId.of("b3")),
                addCopy(BookId.of("b4")));
        LibraryQueries scaled =
                LibraryQueries.create(recording, IN_QUERY.withMemoryCache(false).withSnapshotAfterEvents(2));

        scaled.booksInCirculation(); // 4 new events, 4 copies: not more events than entries
        assertThat(scaled.snapshotStatistics().saves()).isZero();
        given(new LendBookCopyToReader(BookId.of("b1"), ADA));
        scaled.booksInCirculation(); // replays 5 events (nothing was saved), 4 copies
        assertThat(scaled.snapshotStatistics().saves()).isEqualTo(1);
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
        given(
                new RegisterReader(ADA, "Ada"),
                addCopy(BookId.of("b1")),
                addCopy(BookId.of("b2")),
                addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(recording, SNAPSHOT_AFTER_TWO);
        long snapshotAt = queries.booksInCirculation().sequenceNumber();
        given(
                new RemoveBookCopy(BookId.of("b1")),
                new LendBookCopyToReader(BookId.of("b2"), ADA),
                addCopy(BookId.of("b4")));

        BooksInCirculation fromSnapshot = queries.booksInCirculation();

        assertThat(fromSnapshot).isEqualTo(fullReplay.booksInCirculation());
        assertThat(recording.readsAfter).containsExactly(0L, snapshotAt);
        assertThat(fromSnapshot.sequenceNumber()).isGreaterThan(snapshotAt);
    }

    static Stream<Arguments> everyQuery() {
        return Stream.concat(
                Stream.of(arguments(
                        "books lent by a reader", (Function<LibraryQueries, Object>) q -> q.booksLentByReader(ADA))),
                everyQueryWithStoreSnapshots());
    }

    /** Every query but a reader's loans, which use no store snapshots. */
    static Stream<Arguments> everyQueryWithStoreSnapshots() {
        return Stream.of(
                arguments(
                        "books in circulation", (Function<LibraryQueries, Object>) LibraryQueries::booksInCirculation),
                arguments("books lent out", (Function<LibraryQueries, Object>) LibraryQueries::booksLentOut),
                arguments("registered readers", (Function<LibraryQueries, Object>) LibraryQueries::registeredReaders),
                arguments("canceled readers", (Function<LibraryQueries, Object>) LibraryQueries::canceledReaders),
                arguments("removed books", (Function<LibraryQueries, Object>) LibraryQueries::removedBooks),
                arguments("finished lendings", (Function<LibraryQueries, Object>)
                        q -> q.finishedLendings(100, SortOrder.NEWEST_FIRST)));
    }

    @ParameterizedTest(name = "{0} answered from a snapshot equal a full replay")
    @MethodSource("everyQueryWithStoreSnapshots")
    void everyQueryAnsweredFromASnapshotEqualsAFullReplay(String name, Function<LibraryQueries, Object> query) {
        LibraryQueries queries = LibraryQueries.create(store, STORE_SNAPSHOTS_ONLY.withSnapshotAfterEvents(0));
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
                    .mapToObj(index -> LibraryEventCodec.encode(
                            LibraryFixtures.added(BookId.of("bulk-" + index)),
                            new EventMetadata("m-" + index, "bulk", "bulk"),
                            TestStores.START.plusSeconds(index)))
                    .toArray(Event[]::new));
        }
        LibraryQueries queries = LibraryQueries.create(recording, STORE_SNAPSHOTS_ONLY);
        long snapshotAt = queries.booksInCirculation().sequenceNumber();
        given(addCopy(BookId.of("one-more")));

        BooksInCirculation fromSnapshot = queries.booksInCirculation();

        assertThat(fromSnapshot.books()).hasSize(copies + 1);
        assertThat(fromSnapshot).isEqualTo(fullReplay.booksInCirculation());
        assertThat(recording.readsAfter).containsExactly(0L, snapshotAt);
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(1, 1, 1, 0, 0, 0, 0, 0, 0));
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
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 1, 0, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void aSaveInTheBackgroundDoesNotHoldUpTheQueryThatFoundItDueAndOnlyOneRunsAtATime() throws Exception {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        CountDownLatch saveStarted = new CountDownLatch(1);
        CountDownLatch diskFree = new CountDownLatch(1);
        AtomicInteger saves = new AtomicInteger();
        EventStore slowDisk = new DelegatingEventStore(store) {
            @Override
            public boolean saveSnapshot(Snapshot snapshot) {
                saves.incrementAndGet();
                saveStarted.countDown();
                try {
                    diskFree.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.saveSnapshot(snapshot);
            }
        };
        LibraryQueries queries = LibraryQueries.create(
                slowDisk, QuerySettings.defaults().withSnapshotAfterEvents(2).withSnapshotsScaledToState(false));

        BooksInCirculation first = CompletableFuture.supplyAsync(queries::booksInCirculation)
                .get(10, TimeUnit.SECONDS); // returns while its save waits (in the query, it would time out)
        assertThat(saveStarted.await(10, TimeUnit.SECONDS))
                .as("the save started")
                .isTrue();
        given(addCopy(BookId.of("b4")), addCopy(BookId.of("b5")), addCopy(BookId.of("b6")));
        BooksInCirculation second = queries.booksInCirculation(); // due again while the first one runs
        diskFree.countDown();

        assertThat(first.books()).hasSize(3);
        assertThat(second).isEqualTo(fullReplay.booksInCirculation());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queries.snapshotStatistics().saves() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(queries.snapshotStatistics().saves()).isEqualTo(1);
        assertThat(saves).as("the second due save was skipped, not queued").hasValue(1);
        BooksInCirculationProjection projection = new BooksInCirculationProjection();
        assertThat(store.loadSnapshot(projection.type(), projection.filter().hash()))
                .hasValueSatisfying(saved -> assertThat(saved.sequenceNumber()).isEqualTo(first.sequenceNumber()));
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
    void aReadersLoansUseNoStoreSnapshotsOnlyTheMemoryCacheAndTheReadersOwnEvents() {
        given(
                new RegisterReader(ADA, "Ada"),
                new RegisterReader(GRACE, "Grace"),
                addCopy(BookId.of("b1")),
                addCopy(BookId.of("b2")),
                new LendBookCopyToReader(BookId.of("b1"), ADA),
                new LendBookCopyToReader(BookId.of("b2"), GRACE));
        LibraryQueries queries = LibraryQueries.create(recording, STORE_SNAPSHOTS_ONLY.withSnapshotAfterEvents(0));
        queries.booksLentByReader(ADA);
        queries.booksLentByReader(GRACE);

        BooksLentByReader ada = queries.booksLentByReader(ADA);
        BooksLentByReader grace = queries.booksLentByReader(GRACE);

        assertThat(ada.books()).extracting(BooksLentByReader.Book::bookId).containsExactly(BookId.of("b1"));
        assertThat(grace.books()).extracting(BooksLentByReader.Book::bookId).containsExactly(BookId.of("b2"));
        assertThat(recording.snapshotCalls).as("no snapshot loaded or saved").hasValue(0);
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void withSnapshotsDisabledTheSnapshotTableIsNeverTouched() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(recording, FULL_REPLAY.withSnapshotAfterEvents(0));

        queries.booksInCirculation();
        queries.booksInCirculation();

        assertThat(recording.snapshotCalls).hasValue(0);
        assertThat(recording.readsAfter).containsExactly(0L, 0L);
    }

    // --- the memory cache ---------------------------------------------------------------------

    @Test
    void aMemoryCacheHitWithoutNewEventsReadsOnlyAfterTheCachedStateAndTouchesNoSnapshot() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(
                recording, IN_QUERY.withSnapshotAfterEvents(2).withSnapshotsScaledToState(false));
        BooksInCirculation first = queries.booksInCirculation();
        int snapshotCallsOfTheMiss = recording.snapshotCalls.get();

        BooksInCirculation second = queries.booksInCirculation();

        assertThat(second).isEqualTo(first).isEqualTo(fullReplay.booksInCirculation());
        assertThat(second).as("computed once per cached state").isSameAs(first);
        assertThat(recording.readsAfter).containsExactly(0L, first.sequenceNumber());
        assertThat(recording.snapshotCalls)
                .as("load and save of the miss only")
                .hasValue(snapshotCallsOfTheMiss)
                .hasValue(2);
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 1, 1, 0, 0, 1, 1, 0, 0));
    }

    @Test
    void aMemoryCacheHitWithNewEventsAppliesOnlyThoseAndEqualsAFullReplay() {
        given(
                new RegisterReader(ADA, "Ada"),
                addCopy(BookId.of("b1")),
                addCopy(BookId.of("b2")),
                addCopy(BookId.of("b3")));
        LibraryQueries queries = LibraryQueries.create(recording, IN_QUERY);
        BooksInCirculation cached = queries.booksInCirculation();
        given(
                new RemoveBookCopy(BookId.of("b1")),
                new LendBookCopyToReader(BookId.of("b2"), ADA),
                addCopy(BookId.of("b4")));

        BooksInCirculation fromCache = queries.booksInCirculation();

        assertThat(fromCache).isEqualTo(fullReplay.booksInCirculation());
        assertThat(fromCache.sequenceNumber()).isGreaterThan(cached.sequenceNumber());
        assertThat(cached.books())
                .as("the cached state was not modified")
                .hasSize(3)
                .noneMatch(BooksInCirculation.Book::lent);
        assertThat(recording.readsAfter).containsExactly(0L, cached.sequenceNumber());
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 1, 0, 0, 0, 1, 1, 0, 0));
    }

    @ParameterizedTest(name = "{0} answered from the memory cache equal a full replay")
    @MethodSource("everyQuery")
    void everyQueryAnsweredFromTheMemoryCacheEqualsAFullReplay(String name, Function<LibraryQueries, Object> query) {
        LibraryQueries queries = LibraryQueries.create(store, IN_QUERY.withoutSnapshots());
        givenFirstHalfOfAHistory();
        Object beforeNewEvents = query.apply(queries);
        assertThat(beforeNewEvents).isEqualTo(query.apply(fullReplay));
        givenSecondHalfOfAHistory();

        Object withNewEvents = query.apply(queries);
        Object withoutNewEvents = query.apply(queries);

        assertThat(withNewEvents)
                .isEqualTo(query.apply(fullReplay))
                .isNotEqualTo(beforeNewEvents)
                .isEqualTo(withoutNewEvents);
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 0, 0, 0, 0, 2, 1, 0, 0));
    }

    @Test
    void withTheMemoryCacheStoreSnapshotsAreStillSavedEveryFewEventsForTheNextProcess() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        QuerySettings settings = IN_QUERY.withSnapshotAfterEvents(2).withSnapshotsScaledToState(false);
        LibraryQueries queries = LibraryQueries.create(store, settings);
        queries.booksInCirculation();
        given(addCopy(BookId.of("b4")));
        queries.booksInCirculation();
        assertThat(queries.snapshotStatistics().saves())
                .as("3 events, then 1 since the save")
                .isEqualTo(1);
        given(addCopy(BookId.of("b5")), addCopy(BookId.of("b6")));
        long savedAt = queries.booksInCirculation().sequenceNumber();
        assertThat(queries.snapshotStatistics().saves())
                .as("3 events since the save")
                .isEqualTo(2);
        BooksInCirculationProjection projection = new BooksInCirculationProjection();
        assertThat(store.loadSnapshot(projection.type(), projection.filter().hash()))
                .hasValueSatisfying(
                        snapshot -> assertThat(snapshot.sequenceNumber()).isEqualTo(savedAt));

        LibraryQueries nextProcess = LibraryQueries.create(recording, settings);

        assertThat(nextProcess.booksInCirculation()).isEqualTo(fullReplay.booksInCirculation());
        assertThat(recording.readsAfter).containsExactly(savedAt);
        assertThat(nextProcess.snapshotStatistics()).isEqualTo(new SnapshotStatistics(1, 0, 0, 0, 0, 0, 1, 0, 0));
    }

    // --- bounded staleness ----------------------------------------------------------------------

    @Test
    void withinTheStalenessBoundAnEventualQueryIsAnsweredFromMemoryWithoutARead() {
        given(addCopy(BookId.of("b1")));
        LibraryQueries queries = LibraryQueries.create(recording, IN_QUERY.withMaxStaleness(Duration.ofHours(1)));
        BooksInCirculation first = queries.booksInCirculation();
        CommitToken token =
                commands.handle(addCopy(BookId.of("b2"))).commitToken().orElseThrow();

        BooksInCirculation withinTheBound = queries.booksInCirculation();
        queries.booksInCirculation(ReadOptions.STRONG);
        int readsOfTheStrongQuery = recording.readsAfter.size() - 1;
        BooksInCirculation withToken = queries.booksInCirculation(ReadOptions.EVENTUAL.withAtLeast(token));

        assertThat(withinTheBound).as("stale, as allowed").isSameAs(first);
        assertThat(readsOfTheStrongQuery).as("the strong query read").isEqualTo(1);
        assertThat(withToken.books())
                .extracting(BooksInCirculation.Book::bookId)
                .containsExactly(BookId.of("b1"), BookId.of("b2"));
        assertThat(recording.readsAfter)
                .as("the first, the strong and the token read; none within the bound")
                .hasSize(3);
        assertThat(queries.snapshotStatistics().answeredWithoutRead()).isEqualTo(1);
    }

    @Test
    void onceTheStalenessBoundHasPassedTheNextEventualQueryReadsAgain() throws InterruptedException {
        given(addCopy(BookId.of("b1")));
        LibraryQueries queries = LibraryQueries.create(recording, IN_QUERY.withMaxStaleness(Duration.ofMillis(50)));
        BooksInCirculation first = queries.booksInCirculation();
        given(addCopy(BookId.of("b2")));

        Thread.sleep(100);
        BooksInCirculation afterTheBound = queries.booksInCirculation();

        // The read itself is what matters: its result may still miss b2 for a moment if an older
        // transaction (an autoanalyze) is open, as any read under the safe high-water mark may.
        assertThat(recording.readsAfter).containsExactly(0L, first.sequenceNumber());
        assertThat(afterTheBound.sequenceNumber()).isGreaterThanOrEqualTo(first.sequenceNumber());
        assertThat(queries.snapshotStatistics().answeredWithoutRead()).isZero();
    }

    @Test
    void underBoundedStalenessEveryReadersLoansComeFromOneSharedReadAndEqualTheirOwnProjection() {
        List<ReaderId> readers =
                IntStream.range(0, 6).mapToObj(i -> ReaderId.of("reader-" + i)).toList();
        readers.forEach(reader -> given(new RegisterReader(reader, reader.value())));
        IntStream.range(0, 15).forEach(i -> given(addCopy(BookId.of("copy-" + i))));
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            BookId book = BookId.of("copy-" + random.nextInt(15));
            ReaderId reader = readers.get(random.nextInt(readers.size()));
            // Many of these fail (lent elsewhere, not on loan): the history is what succeeded.
            commands.handle(
                    random.nextBoolean()
                            ? new LendBookCopyToReader(book, reader)
                            : new ReturnBookCopyFromReader(book, reader));
        }
        QuerySettings settings = IN_QUERY.withSnapshotAfterEvents(2)
                .withSnapshotsScaledToState(false)
                .withMaxStaleness(Duration.ofHours(1));
        LibraryQueries queries = LibraryQueries.create(recording, settings);

        for (ReaderId reader : readers) {
            assertThat(queries.booksLentByReader(reader))
                    .as("%s", reader)
                    .usingRecursiveComparison()
                    .ignoringFields("sequenceNumber")
                    .isEqualTo(fullReplay.booksLentByReader(reader));
        }
        assertThat(queries.booksLentByReader(ReaderId.of("nobody")).books()).isEmpty();
        assertThat(readers.stream()
                        .mapToInt(reader -> queries.booksLentByReader(reader).count())
                        .sum())
                .isPositive();
        assertThat(recording.readsAfter).as("one read for all readers").hasSize(1);

        LibraryQueries nextProcess = LibraryQueries.create(store, settings);
        for (ReaderId reader : readers) {
            assertThat(nextProcess.booksLentByReader(reader))
                    .as("%s from the shared snapshot", reader)
                    .usingRecursiveComparison()
                    .ignoringFields("sequenceNumber")
                    .isEqualTo(fullReplay.booksLentByReader(reader));
        }
        assertThat(nextProcess.snapshotStatistics().hits()).isEqualTo(1);
    }

    @Test
    void aQueryWithACommitTokenAlwaysReadsAfterTheCachedStateWithTheCallersOptions() {
        CommitToken older =
                commands.handle(addCopy(BookId.of("b1"))).commitToken().orElseThrow();
        LibraryQueries queries = LibraryQueries.create(recording, IN_QUERY);
        long cachedAt = queries.booksInCirculation().sequenceNumber();
        CommitToken newer =
                commands.handle(addCopy(BookId.of("b2"))).commitToken().orElseThrow();

        BooksInCirculation seesTheCommand = queries.booksInCirculation(ReadOptions.EVENTUAL.withAtLeast(newer));
        BooksInCirculation olderThanTheCache = queries.booksInCirculation(ReadOptions.EVENTUAL.withAtLeast(older));

        assertThat(seesTheCommand.books())
                .extracting(BooksInCirculation.Book::bookId)
                .containsExactly(BookId.of("b1"), BookId.of("b2"));
        assertThat(seesTheCommand.sequenceNumber()).isGreaterThanOrEqualTo(newer.sequenceNumber());
        assertThat(olderThanTheCache).isEqualTo(seesTheCommand);
        assertThat(recording.readsAfter).containsExactly(0L, cachedAt, seesTheCommand.sequenceNumber());
        assertThat(recording.readOptions).extracting(ReadOptions::atLeast).containsExactly(null, newer, older);
    }

    @Test
    void theMemoryCacheNeverMovesBackwardsWhenAnOlderQueryFinishesLast() throws Exception {
        CountDownLatch slowQueryHasRead = new CountDownLatch(1);
        CountDownLatch releaseSlowQuery = new CountDownLatch(1);
        EventStore slowFirstRead = slowFirstRead(slowQueryHasRead, releaseSlowQuery);
        LibraryQueries queries = LibraryQueries.create(slowFirstRead, IN_QUERY.withoutSnapshots());
        given(addCopy(BookId.of("b1")));
        CompletableFuture<BooksInCirculation> slow = CompletableFuture.supplyAsync(queries::booksInCirculation);
        assertThat(slowQueryHasRead.await(30, TimeUnit.SECONDS)).isTrue();
        given(addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        // With a timeout of its own, the fast query reads for itself instead of waiting for the slow read.
        BooksInCirculation fast = queries.booksInCirculation(ReadOptions.EVENTUAL.withTimeout(Duration.ofSeconds(30)));

        releaseSlowQuery.countDown();
        BooksInCirculation late = slow.get(30, TimeUnit.SECONDS);
        BooksInCirculation next = queries.booksInCirculation();

        assertThat(late.books()).as("the slow query answers what it read").hasSize(1);
        assertThat(late.sequenceNumber()).isLessThan(fast.sequenceNumber());
        assertThat(next).isSameAs(fast);
        assertThat(recording.readsAfter).containsExactly(0L, 0L, fast.sequenceNumber());
        assertThat(queries.snapshotStatistics()).isEqualTo(new SnapshotStatistics(0, 0, 0, 0, 0, 1, 2, 0, 0));
    }

    @Test
    void aLibraryWideProjectionReplaysItsHistoryThroughACursorOnceAndCatchesUpWithQueriesAfterwards() {
        given(addCopy(BookId.of("b1")), addCopy(BookId.of("b2")));
        LibraryQueries queries = LibraryQueries.create(recording, IN_QUERY.withoutSnapshots());

        BooksInCirculation first = queries.booksInCirculation();
        given(addCopy(BookId.of("b3")));
        BooksInCirculation second = queries.booksInCirculation();
        queries.booksLentByReader(ReaderId.of("r1"));

        assertThat(first.books()).hasSize(2);
        assertThat(second.books()).hasSize(3);
        assertThat(recording.streamedAfter)
                .as("only the replay from the start streams")
                .containsExactly(0L);
        assertThat(recording.readsAfter).containsExactly(0L, first.sequenceNumber(), 0L);
    }

    @Test
    void aQueryArrivingWhileAnotherReadsTheSameProjectionWaitsForThatReadAndThenReadsOnlyWhatIsNewer()
            throws Exception {
        CountDownLatch slowQueryHasRead = new CountDownLatch(1);
        CountDownLatch releaseSlowQuery = new CountDownLatch(1);
        EventStore slowFirstRead = slowFirstRead(slowQueryHasRead, releaseSlowQuery);
        LibraryQueries queries = LibraryQueries.create(slowFirstRead, IN_QUERY.withoutSnapshots());
        given(addCopy(BookId.of("b1")));
        CompletableFuture<BooksInCirculation> slow = CompletableFuture.supplyAsync(queries::booksInCirculation);
        assertThat(slowQueryHasRead.await(30, TimeUnit.SECONDS)).isTrue();
        given(addCopy(BookId.of("b2")), addCopy(BookId.of("b3")));
        CompletableFuture<BooksInCirculation> arrivedDuringTheRead = CompletableFuture.supplyAsync(
                queries::booksInCirculation, runnable -> new Thread(runnable, "arrived-during-the-read").start());
        awaitAThreadWaitingForASharedRead("arrived-during-the-read");
        assertThat(recording.readsAfter).as("the second query has not read yet").containsExactly(0L);

        releaseSlowQuery.countDown();
        BooksInCirculation late = slow.get(30, TimeUnit.SECONDS);
        BooksInCirculation current = arrivedDuringTheRead.get(30, TimeUnit.SECONDS);

        assertThat(late.books()).hasSize(1);
        assertThat(current.books())
                .as("it read after the first read landed, so it sees the newer copies")
                .hasSize(3);
        assertThat(recording.readsAfter).containsExactly(0L, late.sequenceNumber());
        assertThat(queries.snapshotStatistics().sharedReads()).isZero();
    }

    private static void awaitAThreadWaitingForASharedRead(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().entrySet().stream()
                .noneMatch(thread -> thread.getKey().getName().equals(name)
                        && thread.getKey().getState() == Thread.State.WAITING
                        && Arrays.stream(thread.getValue())
                                .anyMatch(frame -> frame.getClassName().endsWith("SharedReads$Flight")))) {
            assertThat(System.nanoTime())
                    .as("a query waits for the read in flight")
                    .isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void eightThreadsQueryingWhileCommandsAppendOnlySeeStatesOfTheLogAndEndEqualToAFullReplay() throws Exception {
        List<BookId> books =
                IntStream.range(0, 12).mapToObj(index -> BookId.of("c" + index)).toList();
        List<ReaderId> readers = IntStream.range(0, 5)
                .mapToObj(index -> ReaderId.of("r" + index))
                .toList();
        readers.forEach(reader -> given(new RegisterReader(reader, "Reader " + reader)));
        books.forEach(book -> given(addCopy(book)));
        LibraryCommands racing = LibraryCommands.create(
                store,
                TestStores.deterministicSettings("second")
                        .withRetryPolicy(RetryPolicy.defaults()
                                .withMaxAttempts(200)
                                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20))));
        QuerySettings settings = IN_QUERY.withSnapshotAfterEvents(5);
        LibraryQueries queries = LibraryQueries.create(store, settings);
        Map<String, Function<LibraryQueries, Object>> everyQuery = queriesOf(readers);
        List<String> names = List.copyOf(everyQuery.keySet());
        ExecutorService threads = Executors.newFixedThreadPool(10);
        AtomicBoolean appending = new AtomicBoolean(true);
        Map<String, Map<Long, Set<Object>>> seen = new ConcurrentHashMap<>();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                Random random = new Random(writer);
                writers.add(threads.submit(() -> {
                    for (int command = 0; command < 60; command++) {
                        racing.handle(randomCommand(random, books, readers));
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readersOfTheCache = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int offset = thread;
                readersOfTheCache.add(threads.submit(() -> {
                    Map<String, Long> lastSeen = new HashMap<>();
                    int count = 0;
                    for (int index = offset; appending.get() || count < 50; index++, count++) {
                        String name = names.get(index % names.size());
                        Object result = everyQuery.get(name).apply(queries);
                        long sequenceNumber = sequenceNumberOf(result);
                        assertThat(sequenceNumber)
                                .as("%s never goes back within a thread", name)
                                .isGreaterThanOrEqualTo(lastSeen.getOrDefault(name, 0L));
                        lastSeen.put(name, sequenceNumber);
                        seen.computeIfAbsent(name, key -> new ConcurrentHashMap<>())
                                .computeIfAbsent(sequenceNumber, key -> ConcurrentHashMap.newKeySet())
                                .add(result);
                    }
                    return count;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            appending.set(false);
            for (Future<Integer> reader : readersOfTheCache) {
                assertThat(reader.get(120, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(50);
            }
        } finally {
            appending.set(false);
            threads.shutdownNow();
        }

        List<StoredEvent> log = store.query(Filter.matchAll()).events();
        for (String name : names) {
            Function<LibraryQueries, Object> query = everyQuery.get(name);
            assertThat(query.apply(queries)).as("%s at the end", name).isEqualTo(query.apply(fullReplay));
            seen.get(name).forEach((sequenceNumber, results) -> {
                Object replayed = query.apply(LibraryQueries.create(asOf(log, sequenceNumber), FULL_REPLAY));
                assertThat(results)
                        .as("%s at sequence number %d", name, sequenceNumber)
                        .containsOnly(replayed);
            });
        }
        assertThat(queries.snapshotStatistics().memoryCacheHits()).isPositive();
        assertThat(queries.snapshotStatistics().saves()).isPositive();
        LibraryQueries nextProcess = LibraryQueries.create(store, settings);
        for (String name : names) {
            assertThat(everyQuery.get(name).apply(nextProcess))
                    .as("%s after a restart", name)
                    .isEqualTo(everyQuery.get(name).apply(fullReplay));
        }
        assertThat(nextProcess.snapshotStatistics().hits()).isPositive();
    }

    private static Map<String, Function<LibraryQueries, Object>> queriesOf(List<ReaderId> readers) {
        Map<String, Function<LibraryQueries, Object>> queries = new LinkedHashMap<>();
        queries.put("books in circulation", LibraryQueries::booksInCirculation);
        queries.put("books lent out", LibraryQueries::booksLentOut);
        queries.put("registered readers", LibraryQueries::registeredReaders);
        queries.put("canceled readers", LibraryQueries::canceledReaders);
        queries.put("removed books", LibraryQueries::removedBooks);
        queries.put("finished lendings", q -> q.finishedLendings(1000, SortOrder.OLDEST_FIRST));
        queries.put("latest finished lendings", q -> q.finishedLendings(3, SortOrder.NEWEST_FIRST));
        for (ReaderId reader : readers) {
            queries.put("books lent by " + reader, q -> q.booksLentByReader(reader));
        }
        return queries;
    }

    private static long sequenceNumberOf(Object result) {
        if (result instanceof BooksInCirculation books) {
            return books.sequenceNumber();
        } else if (result instanceof BooksLentOut lent) {
            return lent.sequenceNumber();
        } else if (result instanceof RegisteredReaders registered) {
            return registered.sequenceNumber();
        } else if (result instanceof CanceledReaders canceled) {
            return canceled.sequenceNumber();
        } else if (result instanceof RemovedBooks removed) {
            return removed.sequenceNumber();
        } else if (result instanceof FinishedLendings finished) {
            return finished.sequenceNumber();
        } else if (result instanceof BooksLentByReader lentBy) {
            return lentBy.sequenceNumber();
        }
        throw new IllegalArgumentException("not a query result: " + result);
    }

    private static LibraryCommand randomCommand(Random random, List<BookId> books, List<ReaderId> readers) {
        BookId book = books.get(random.nextInt(books.size()));
        ReaderId reader = readers.get(random.nextInt(readers.size()));
        int dice = random.nextInt(100);
        if (dice < 45) {
            return new LendBookCopyToReader(book, reader);
        } else if (dice < 80) {
            return new ReturnBookCopyFromReader(book, reader);
        } else if (dice < 85) {
            return new RemoveBookCopy(book);
        } else if (dice < 90) {
            return addCopy(book);
        } else if (dice < 95) {
            return new CancelReaderContract(reader);
        }
        return new RegisterReader(reader, "Reader " + reader);
    }

    /** The store as it was at a sequence number: queries see only the events up to it; no snapshots. */
    private static EventStore asOf(List<StoredEvent> log, long sequenceNumber) {
        return new DelegatingEventStore(null) {
            @Override
            public QueryResult query(Filter filter, ReadOptions options) {
                List<StoredEvent> events = log.stream()
                        .filter(event -> event.sequenceNumber() <= sequenceNumber && filter.matches(event))
                        .toList();
                return new QueryResult(
                        events,
                        events.isEmpty() ? 0 : events.get(events.size() - 1).sequenceNumber());
            }

            @Override
            public EventStream stream(Filter filter, ReadOptions options) {
                Iterator<StoredEvent> events = query(filter, options).events().iterator();
                return new EventStream() {
                    private long max;

                    @Override
                    public boolean hasNext() {
                        return events.hasNext();
                    }

                    @Override
                    public StoredEvent next() {
                        StoredEvent event = events.next();
                        max = event.sequenceNumber();
                        return event;
                    }

                    @Override
                    public long maxSequenceNumberSoFar() {
                        return max;
                    }

                    @Override
                    public void close() {}
                };
            }
        };
    }

    /** The recording store, whose first read (a query or a stream) waits, after reading, until released. */
    private EventStore slowFirstRead(CountDownLatch hasRead, CountDownLatch release) {
        AtomicBoolean firstRead = new AtomicBoolean(true);
        return new DelegatingEventStore(recording) {
            @Override
            public QueryResult query(Filter filter, ReadOptions options) {
                QueryResult result = super.query(filter, options);
                slowIfFirst();
                return result;
            }

            @Override
            public EventStream stream(Filter filter, ReadOptions options) {
                EventStream result = super.stream(filter, options);
                slowIfFirst();
                return result;
            }

            private void slowIfFirst() {
                if (firstRead.compareAndSet(true, false)) {
                    hasRead.countDown();
                    awaitUninterruptibly(release);
                }
            }
        };
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the slow query");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void givenFirstHalfOfAHistory() {
        given(
                new RegisterReader(ADA, "Ada"),
                new RegisterReader(GRACE, "Grace"),
                addCopy(BookId.of("b1")),
                addCopy(BookId.of("b2")),
                addCopy(BookId.of("b3")),
                new LendBookCopyToReader(BookId.of("b1"), ADA),
                new LendBookCopyToReader(BookId.of("b2"), GRACE),
                new ReturnBookCopyFromReader(BookId.of("b2"), GRACE),
                new RemoveBookCopy(BookId.of("b3")),
                new CancelReaderContract(GRACE));
    }

    private void givenSecondHalfOfAHistory() {
        given(
                addCopy(BookId.of("b3")),
                addCopy(BookId.of("b4")),
                new RemoveBookCopy(BookId.of("b2")),
                new RegisterReader(GRACE, "Grace again"),
                new LendBookCopyToReader(BookId.of("b3"), ADA),
                new ReturnBookCopyFromReader(BookId.of("b1"), ADA),
                new LendBookCopyToReader(BookId.of("b4"), GRACE),
                new RegisterReader(ReaderId.of("linus"), "Linus"),
                new CancelReaderContract(ReaderId.of("linus")));
    }

    private void given(LibraryCommand... history) {
        for (LibraryCommand command : history) {
            assertThat(commands.handle(command).status()).as("%s", command).isEqualTo(Status.SUCCESS);
        }
    }

    /** Records where every query started reading and counts snapshot calls. */
    private static final class RecordingStore extends DelegatingEventStore {
        private final List<Long> readsAfter = new CopyOnWriteArrayList<>();
        private final List<ReadOptions> readOptions = new CopyOnWriteArrayList<>();
        private final List<Long> streamedAfter = new CopyOnWriteArrayList<>();
        private final AtomicInteger snapshotCalls = new AtomicInteger();

        RecordingStore(EventStore delegate) {
            super(delegate);
        }

        @Override
        public QueryResult query(Filter filter, ReadOptions options) {
            readsAfter.add(filter.sequenceNumberAfter());
            readOptions.add(options);
            return super.query(filter, options);
        }

        /** A replay through a cursor counts as a read, like a query; {@link #streamedAfter} tells them apart. */
        @Override
        public EventStream stream(Filter filter, ReadOptions options) {
            readsAfter.add(filter.sequenceNumberAfter());
            readOptions.add(options);
            streamedAfter.add(filter.sequenceNumberAfter());
            return super.stream(filter, options);
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
