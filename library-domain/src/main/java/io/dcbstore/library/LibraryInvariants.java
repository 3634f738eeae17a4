package io.dcbstore.library;

import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.InvariantReport.Rule;
import io.dcbstore.library.InvariantReport.Violation;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.internal.Problems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies, from the event log alone, that the library's rules held at every point of its history:
 *
 * <ul>
 *   <li>no copy was lent while it was lent and not returned ({@link Rule#BOOK_LENT_TWICE});</li>
 *   <li>no reader held more than {@value LendBookCopyToReader#MAX_BOOKS_PER_READER} books at once
 *       ({@link Rule#READER_OVER_LIMIT});</li>
 *   <li>no copy was lent while out of circulation: never added, or removed and not added again
 *       ({@link Rule#BOOK_NOT_IN_CIRCULATION});</li>
 *   <li>no copy was lent to a reader not registered: never registered, or canceled and not
 *       registered again ({@link Rule#READER_NOT_REGISTERED}).</li>
 * </ul>
 *
 * <p>It reads the whole log once, in sequence order, with {@link ReadOptions#STRONG}, as a stream:
 * memory grows with the number of copies and readers, not of events. Failure events (a refused
 * command) and events of other domains are read and ignored. A lending that breaks a rule is
 * still applied (it happened): a copy lent twice is lent to its latest borrower from then on.
 * A return that does not match the copy's current borrower changes nothing.
 *
 * <p>The command handlers keep these rules with their consistency boundaries; a violation means
 * events were appended around them (or the store lost an append condition).
 */
public final class LibraryInvariants {
    /** How many violations a report lists; it counts all of them. */
    public static final int MAX_REPORTED_VIOLATIONS = 100;

    private static final Set<String> STATE_CHANGING_TYPES = Set.of(
            BookCopyAddedToCirculation.TYPE,
            BookCopyRemovedFromCirculation.TYPE,
            ReaderRegistered.TYPE,
            ReaderContractCanceled.TYPE,
            BookCopyLentToReader.TYPE,
            BookCopyReturnedByReader.TYPE);

    private LibraryInvariants() {}

    /**
     * Reads the whole log and checks every rule at every event.
     *
     * @param store the event store; the caller keeps and closes it
     * @return what was checked and every violation found
     * @throws UndecodableEventException if an event of a library type cannot be decoded (the log
     *     cannot be checked)
     * @throws io.dcbstore.EventStoreException if reading fails
     */
    public static InvariantReport check(EventStore store) {
        new Problems().notNull("event store", store).throwIfAny();
        Checker checker = new Checker();
        try (EventStream events = store.stream(Filter.matchAll(), ReadOptions.STRONG)) {
            while (events.hasNext()) {
                checker.accept(events.next());
            }
        }
        return checker.report();
    }

    /** The state of the library as far as the rules need it, applied one event at a time. */
    private static final class Checker {
        private final Map<String, Copy> copies = new HashMap<>();
        private final Map<String, Reader> readers = new HashMap<>();
        private final List<Violation> violations = new ArrayList<>();
        private long eventsRead;
        private long loansChecked;
        private long violationCount;

        void accept(StoredEvent stored) {
            eventsRead++;
            if (!STATE_CHANGING_TYPES.contains(stored.type())) {
                return;
            }
            LibraryEvent event = LibraryEventCodec.decode(stored).event();
            if (event instanceof BookCopyAddedToCirculation added) {
                copy(added.bookId()).inCirculation = true;
            } else if (event instanceof BookCopyRemovedFromCirculation removed) {
                copy(removed.bookId()).inCirculation = false;
            } else if (event instanceof ReaderRegistered registered) {
                reader(registered.readerId()).registered = true;
            } else if (event instanceof ReaderContractCanceled canceled) {
                reader(canceled.readerId()).registered = false;
            } else if (event instanceof BookCopyLentToReader lent) {
                lend(stored.sequenceNumber(), lent.bookId(), lent.readerId());
            } else if (event instanceof BookCopyReturnedByReader returned) {
                Copy copy = copy(returned.bookId());
                Reader reader = reader(returned.readerId());
                if (returned.readerId().value().equals(copy.borrower)) {
                    copy.borrower = null;
                    reader.onLoan--;
                }
            }
        }

        private void lend(long sequenceNumber, BookId bookId, ReaderId readerId) {
            loansChecked++;
            Copy copy = copy(bookId);
            Reader reader = reader(readerId);
            if (!copy.inCirculation) {
                violated(
                        sequenceNumber,
                        Rule.BOOK_NOT_IN_CIRCULATION,
                        bookId,
                        readerId,
                        "copy " + bookId + " was lent while not in circulation");
            }
            if (!reader.registered) {
                violated(
                        sequenceNumber,
                        Rule.READER_NOT_REGISTERED,
                        bookId,
                        readerId,
                        "copy " + bookId + " was lent to " + readerId + ", who is not registered");
            }
            if (copy.borrower != null) {
                violated(
                        sequenceNumber,
                        Rule.BOOK_LENT_TWICE,
                        bookId,
                        readerId,
                        "copy " + bookId + " was lent to " + readerId + " while lent to " + copy.borrower
                                + " and not returned");
                readers.get(copy.borrower).onLoan--;
            }
            copy.borrower = readerId.value();
            reader.onLoan++;
            if (reader.onLoan > LendBookCopyToReader.MAX_BOOKS_PER_READER) {
                violated(
                        sequenceNumber,
                        Rule.READER_OVER_LIMIT,
                        bookId,
                        readerId,
                        "copy " + bookId + " was lent to "
                                + readerId + ", who then held " + reader.onLoan + " books, more than "
                                + LendBookCopyToReader.MAX_BOOKS_PER_READER);
            }
        }

        private void violated(long sequenceNumber, Rule rule, BookId bookId, ReaderId readerId, String description) {
            violationCount++;
            if (violations.size() < MAX_REPORTED_VIOLATIONS) {
                violations.add(new Violation(sequenceNumber, rule, bookId, readerId, description));
            }
        }

        private Copy copy(BookId bookId) {
            return copies.computeIfAbsent(bookId.value(), id -> new Copy());
        }

        private Reader reader(ReaderId readerId) {
            return readers.computeIfAbsent(readerId.value(), id -> new Reader());
        }

        InvariantReport report() {
            return new InvariantReport(
                    eventsRead, loansChecked, copies.size(), readers.size(), violationCount, violations);
        }
    }

    /** A copy: whether it is in circulation, and who has it (null when nobody). */
    private static final class Copy {
        boolean inCirculation;
        String borrower;
    }

    /** A reader: whether registered now, and how many books they hold. */
    private static final class Reader {
        boolean registered;
        int onLoan;
    }
}
