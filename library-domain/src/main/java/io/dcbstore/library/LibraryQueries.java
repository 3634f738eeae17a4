package io.dcbstore.library;

import io.dcbstore.EventStore;
import io.dcbstore.ReadOptions;
import io.dcbstore.library.internal.BooksInCirculationProjection;
import io.dcbstore.library.internal.BooksLentByReaderProjection;
import io.dcbstore.library.internal.BooksLentOutProjection;
import io.dcbstore.library.internal.CanceledReadersProjection;
import io.dcbstore.library.internal.FinishedLendingsProjection;
import io.dcbstore.library.internal.Problems;
import io.dcbstore.library.internal.Projected;
import io.dcbstore.library.internal.RegisteredReadersProjection;
import io.dcbstore.library.internal.RemovedBooksProjection;
import io.dcbstore.library.internal.SnapshottingProjector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Answers questions about the library from projections of the event log. Each projection resumes
 * from its latest snapshot and applies only newer events (see {@link QuerySettings}); the result
 * is the same as replaying the whole log, and carries the sequence number it reflects.
 *
 * <p>Reads use {@link ReadOptions#EVENTUAL} unless the caller passes options: to see a command's
 * own events, pass {@code ReadOptions.EVENTUAL.withAtLeast(outcome.commitToken().orElseThrow())}.
 *
 * <p>Thread-safe; share one instance so its {@link #snapshotStatistics()} cover every query.
 */
public final class LibraryQueries {
    private final SnapshottingProjector projector;

    private LibraryQueries(SnapshottingProjector projector) {
        this.projector = projector;
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
     * @param settings whether and when to use snapshots
     * @return a query handler
     */
    public static LibraryQueries create(EventStore store, QuerySettings settings) {
        new Problems().notNull("event store", store).notNull("settings", settings).throwIfAny();
        return new LibraryQueries(new SnapshottingProjector(store, settings));
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
        var projected = projector.project(new BooksInCirculationProjection(), checked(options));
        return new BooksInCirculation(values(projected.state()), projected.sequenceNumber());
    }

    /**
     * @param readerId the reader
     * @return the copies the reader has on loan, read with eventual consistency
     */
    public BooksLentByReader booksLentByReader(ReaderId readerId) {
        return booksLentByReader(readerId, ReadOptions.EVENTUAL);
    }

    /**
     * @param readerId the reader
     * @param options consistency, commit token to wait for, timeout
     * @return the copies the reader has on loan
     */
    public BooksLentByReader booksLentByReader(ReaderId readerId, ReadOptions options) {
        new Problems().notNull("reader id", readerId).throwIfAny();
        var projected = projector.project(new BooksLentByReaderProjection(readerId), checked(options));
        return new BooksLentByReader(readerId, values(projected.state()), projected.sequenceNumber());
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
        var projected = projector.project(new BooksLentOutProjection(), checked(options));
        return new BooksLentOut(values(projected.state()), projected.sequenceNumber());
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
        var projected = projector.project(new RegisteredReadersProjection(), checked(options));
        return new RegisteredReaders(values(projected.state()), projected.sequenceNumber());
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
        var projected = projector.project(new CanceledReadersProjection(), checked(options));
        return new CanceledReaders(values(projected.state()), projected.sequenceNumber());
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
        var projected = projector.project(new RemovedBooksProjection(), checked(options));
        return new RemovedBooks(values(projected.state()), projected.sequenceNumber());
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
        new Problems().check(limit >= 1, "limit must be at least 1, got " + limit).notNull("order", order).throwIfAny();
        Projected<FinishedLendingsProjection.State> projected =
                projector.project(new FinishedLendingsProjection(), checked(options));
        List<FinishedLendings.Lending> all = new ArrayList<>(projected.state().finished());
        all.sort(Comparator.comparing(FinishedLendings.Lending::returnedAt));
        if (order == SortOrder.NEWEST_FIRST) {
            Collections.reverse(all);
        }
        return new FinishedLendings(all.subList(0, Math.min(limit, all.size())), all.size(), projected.sequenceNumber());
    }

    /** @return what the snapshots did since this handler was created */
    public SnapshotStatistics snapshotStatistics() {
        return projector.statistics();
    }

    private static ReadOptions checked(ReadOptions options) {
        new Problems().notNull("read options", options).throwIfAny();
        return options;
    }

    private static <V> List<V> values(Map<String, V> entries) {
        return List.copyOf(entries.values());
    }
}
