package io.dcbstore.library;

import io.dcbstore.EventStore;
import io.dcbstore.ReadOptions;
import io.dcbstore.library.internal.BooksInCirculationProjection;
import io.dcbstore.library.internal.BooksLentByReaderProjection;
import io.dcbstore.library.internal.BooksLentOutProjection;
import io.dcbstore.library.internal.CanceledReadersProjection;
import io.dcbstore.library.internal.FinishedLendingsProjection;
import io.dcbstore.library.internal.HandlerTelemetry;
import io.dcbstore.library.internal.LayeredMap;
import io.dcbstore.library.internal.LoansByReaderProjection;
import io.dcbstore.library.internal.Problems;
import io.dcbstore.library.internal.Projected;
import io.dcbstore.library.internal.RegisteredReadersProjection;
import io.dcbstore.library.internal.RemovedBooksProjection;
import io.dcbstore.library.internal.SnapshottingProjector;
import io.dcbstore.library.internal.SnapshottingProjector.ResultOf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Answers questions about the library from projections of the event log. Each projection resumes
 * from its state cached in memory, or else from its latest store snapshot, and applies only newer
 * events (see {@link QuerySettings}); the result is the same as replaying the whole log up to the
 * sequence number it carries.
 *
 * <p>Reads use {@link ReadOptions#EVENTUAL} unless the caller passes options: to see a command's
 * own events, pass {@code ReadOptions.EVENTUAL.withAtLeast(outcome.commitToken().orElseThrow())}.
 *
 * <p>Thread-safe; share one instance, so that queries share its memory cache and its
 * {@link #snapshotStatistics()} cover every query.
 */
public final class LibraryQueries {
    // Constants, so that a result is computed once per cached state and shared by the queries that
    // find no newer events (the projector memoises by the identity of the function).
    private static final ResultOf<Map<String, BooksInCirculation.Book>, BooksInCirculation> BOOKS_IN_CIRCULATION =
            (state, sequenceNumber) -> new BooksInCirculation(values(state), sequenceNumber);
    private static final ResultOf<Map<String, BooksLentOut.Lending>, BooksLentOut> BOOKS_LENT_OUT =
            (state, sequenceNumber) -> new BooksLentOut(values(state), sequenceNumber);
    private static final ResultOf<Map<String, RegisteredReaders.Reader>, RegisteredReaders> REGISTERED_READERS =
            (state, sequenceNumber) -> new RegisteredReaders(values(state), sequenceNumber);
    private static final ResultOf<Map<String, CanceledReaders.Reader>, CanceledReaders> CANCELED_READERS =
            (state, sequenceNumber) -> new CanceledReaders(values(state), sequenceNumber);
    private static final ResultOf<Map<String, RemovedBooks.Book>, RemovedBooks> REMOVED_BOOKS =
            (state, sequenceNumber) -> new RemovedBooks(values(state), sequenceNumber);
    private static final ResultOf<Map<String, BooksLentByReader.Book>, Projected<List<BooksLentByReader.Book>>>
            BOOKS_OF_A_READER = (state, sequenceNumber) -> new Projected<>(values(state), sequenceNumber);
    private static final ResultOf<FinishedLendingsProjection.State, Projected<List<FinishedLendings.Lending>>>
            FINISHED_BY_RETURN_TIME = (state, sequenceNumber) -> {
                List<FinishedLendings.Lending> all = new ArrayList<>(state.finished());
                all.sort(Comparator.comparing(FinishedLendings.Lending::returnedAt));
                return new Projected<>(Collections.unmodifiableList(all), sequenceNumber);
            };

    private static final LoansByReaderProjection LOANS_BY_READER = new LoansByReaderProjection();

    private final SnapshottingProjector projector;

    private LibraryQueries(SnapshottingProjector projector) {
        this.projector = projector;
    }

    /** For {@link ObservedLibrary}: a handler that records through the given telemetry. */
    static LibraryQueries create(EventStore store, QuerySettings settings, HandlerTelemetry telemetry) {
        new Problems()
                .notNull("event store", store)
                .notNull("settings", settings)
                .throwIfAny();
        return new LibraryQueries(new SnapshottingProjector(store, settings, telemetry));
    }

    /**
     * @param store the event store; the caller keeps and closes it
     * @return a query handler with {@link QuerySettings#defaults()}
     */
    public static LibraryQueries create(EventStore store) {
        return create(store, QuerySettings.defaults());
    }

    /**
     * @param store the event store; the caller keeps and closes it
     * @param settings whether to cache states in memory, and whether and when to use store snapshots
     * @return a query handler
     */
    public static LibraryQueries create(EventStore store, QuerySettings settings) {
        new Problems()
                .notNull("event store", store)
                .notNull("settings", settings)
                .throwIfAny();
        return new LibraryQueries(new SnapshottingProjector(store, settings, HandlerTelemetry.NONE));
    }

    /**
     * Brings the library-wide projections this process has queried up to date with a STRONG read
     * of what is new, so that queries allowed to be stale find a recent state in memory
     * ({@link LibraryFollower}). Projections never queried are left alone: following one would
     * first replay its whole history. When none was queried yet, the registered readers are.
     *
     * @return the lowest sequence number the projections caught up now reflect
     */
    long catchUpLibraryWide() {
        ReadOptions strong = ReadOptions.STRONG;
        long lowest = Long.MAX_VALUE;
        if (projector.holds(new BooksInCirculationProjection())) {
            lowest = Math.min(lowest, booksInCirculation(strong).sequenceNumber());
        }
        if (projector.holds(new BooksLentOutProjection())) {
            lowest = Math.min(lowest, booksLentOut(strong).sequenceNumber());
        }
        if (projector.holds(new CanceledReadersProjection())) {
            lowest = Math.min(lowest, canceledReaders(strong).sequenceNumber());
        }
        if (projector.holds(new RemovedBooksProjection())) {
            lowest = Math.min(lowest, removedBooks(strong).sequenceNumber());
        }
        if (projector.holds(LOANS_BY_READER)) {
            lowest = Math.min(lowest, projector.project(LOANS_BY_READER, strong).sequenceNumber());
        }
        FinishedLendingsProjection finished = new FinishedLendingsProjection();
        if (projector.holds(finished)) {
            lowest = Math.min(
                    lowest,
                    projector.project(finished, strong, FINISHED_BY_RETURN_TIME).sequenceNumber());
        }
        if (lowest == Long.MAX_VALUE || projector.holds(new RegisteredReadersProjection())) {
            lowest = Math.min(lowest, registeredReaders(strong).sequenceNumber());
        }
        return lowest;
    }

    /** @return the copies in circulation, read with eventual consistency */
    public BooksInCirculation booksInCirculation() {
        return booksInCirculation(ReadOptions.EVENTUAL);
    }

    /**
     * @param options consistency, commit token to wait for, timeout
     * @return the copies in circulation
     */
    public BooksInCirculation booksInCirculation(ReadOptions options) {
        return projector.project(new BooksInCirculationProjection(), checked(options), BOOKS_IN_CIRCULATION);
    }

    /**
     * @param readerId the reader
     * @return the copies the reader has on loan, read with eventual consistency
     */
    public BooksLentByReader booksLentByReader(ReaderId readerId) {
        return booksLentByReader(readerId, ReadOptions.EVENTUAL);
    }

    /**
     * Reads the reader's own events after the cached state; under bounded staleness
     * ({@link QuerySettings#maxStaleness()}), an eventual read without a commit token is answered
     * from one shared projection of every reader's loans instead (its sequence number is then that
     * projection's).
     *
     * @param readerId the reader
     * @param options consistency, commit token to wait for, timeout
     * @return the copies the reader has on loan
     */
    public BooksLentByReader booksLentByReader(ReaderId readerId, ReadOptions options) {
        new Problems().notNull("reader id", readerId).throwIfAny();
        ReadOptions checkedOptions = checked(options);
        if (projector.allowsStaleAnswers(checkedOptions)) {
            // Every reader's loans in one shared state: one read per staleness window for all readers.
            var all = projector.project(LOANS_BY_READER, checkedOptions);
            LoansByReaderProjection.Loans loans = all.state().get(readerId.value());
            return new BooksLentByReader(readerId, loans == null ? List.of() : loans.books(), all.sequenceNumber());
        }
        var projected = projector.project(new BooksLentByReaderProjection(readerId), checkedOptions, BOOKS_OF_A_READER);
        return new BooksLentByReader(readerId, projected.state(), projected.sequenceNumber());
    }

    /** @return every current lending, read with eventual consistency */
    public BooksLentOut booksLentOut() {
        return booksLentOut(ReadOptions.EVENTUAL);
    }

    /**
     * @param options consistency, commit token to wait for, timeout
     * @return every current lending
     */
    public BooksLentOut booksLentOut(ReadOptions options) {
        return projector.project(new BooksLentOutProjection(), checked(options), BOOKS_LENT_OUT);
    }

    /** @return the readers registered now, read with eventual consistency */
    public RegisteredReaders registeredReaders() {
        return registeredReaders(ReadOptions.EVENTUAL);
    }

    /**
     * @param options consistency, commit token to wait for, timeout
     * @return the readers registered now
     */
    public RegisteredReaders registeredReaders(ReadOptions options) {
        return projector.project(new RegisteredReadersProjection(), checked(options), REGISTERED_READERS);
    }

    /** @return the readers whose contract is canceled now, read with eventual consistency */
    public CanceledReaders canceledReaders() {
        return canceledReaders(ReadOptions.EVENTUAL);
    }

    /**
     * @param options consistency, commit token to wait for, timeout
     * @return the readers whose contract is canceled now
     */
    public CanceledReaders canceledReaders(ReadOptions options) {
        return projector.project(new CanceledReadersProjection(), checked(options), CANCELED_READERS);
    }

    /** @return the copies removed from circulation, read with eventual consistency */
    public RemovedBooks removedBooks() {
        return removedBooks(ReadOptions.EVENTUAL);
    }

    /**
     * @param options consistency, commit token to wait for, timeout
     * @return the copies removed from circulation and not added again
     */
    public RemovedBooks removedBooks(ReadOptions options) {
        return projector.project(new RemovedBooksProjection(), checked(options), REMOVED_BOOKS);
    }

    /**
     * @param limit the most lendings to return; at least 1
     * @param order by return time, oldest or newest first
     * @return the finished lendings, read with eventual consistency
     */
    public FinishedLendings finishedLendings(int limit, SortOrder order) {
        return finishedLendings(limit, order, ReadOptions.EVENTUAL);
    }

    /**
     * @param limit the most lendings to return; at least 1
     * @param order by return time, oldest or newest first
     * @param options consistency, commit token to wait for, timeout
     * @return the finished lendings
     */
    public FinishedLendings finishedLendings(int limit, SortOrder order, ReadOptions options) {
        new Problems()
                .check(limit >= 1, "limit must be at least 1, got " + limit)
                .notNull("order", order)
                .throwIfAny();
        Projected<List<FinishedLendings.Lending>> projected =
                projector.project(new FinishedLendingsProjection(), checked(options), FINISHED_BY_RETURN_TIME);
        List<FinishedLendings.Lending> oldestFirst = projected.state();
        int count = Math.min(limit, oldestFirst.size());
        List<FinishedLendings.Lending> page;
        if (order == SortOrder.OLDEST_FIRST) {
            page = oldestFirst.subList(0, count);
        } else {
            page = new ArrayList<>(oldestFirst.subList(oldestFirst.size() - count, oldestFirst.size()));
            Collections.reverse(page);
        }
        return new FinishedLendings(page, oldestFirst.size(), projected.sequenceNumber());
    }

    /** @return what the memory cache and the snapshots did since this handler was created */
    public SnapshotStatistics snapshotStatistics() {
        return projector.statistics();
    }

    private static ReadOptions checked(ReadOptions options) {
        new Problems().notNull("read options", options).throwIfAny();
        return options;
    }

    /** The states' values in their order, without a copy: the results copy them once, in their own order. */
    private static <V> List<V> values(Map<String, V> entries) {
        return entries instanceof LayeredMap<V> layered ? layered.values() : List.copyOf(entries.values());
    }
}
