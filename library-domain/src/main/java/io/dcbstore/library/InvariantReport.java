package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;
import java.util.List;

/**
 * What {@link LibraryInvariants#check} found in the event log: how much it checked, and every
 * violation of the library's rules (the first {@link LibraryInvariants#MAX_REPORTED_VIOLATIONS} in
 * log order are kept; all are counted).
 *
 * @param eventsRead every event read, of any type (failure events and events of other domains
 *     are read and ignored)
 * @param loansChecked the {@code BookCopyLentToReader} events checked
 * @param books the distinct book copies the events mention
 * @param readers the distinct readers the events mention
 * @param violationCount how many violations were found in all
 * @param violations the first violations found, in log order; at most
 *     {@link LibraryInvariants#MAX_REPORTED_VIOLATIONS}
 */
public record InvariantReport(
        long eventsRead, long loansChecked, long books, long readers, long violationCount, List<Violation> violations) {
    /** Validates the counts and copies the violations; throws {@link InvalidLibraryInputException}. */
    public InvariantReport {
        new Problems()
                .notNull("violations", violations)
                .check(
                        eventsRead >= 0 && loansChecked >= 0 && books >= 0 && readers >= 0,
                        "counts must not be negative")
                .throwIfAny();
        violations = List.copyOf(violations);
        new Problems()
                .check(violationCount >= violations.size(), "violation count must be at least the violations listed")
                .throwIfAny();
    }

    /** @return whether no rule was ever violated */
    public boolean holds() {
        return violationCount == 0;
    }

    /** A rule of the library that must hold at every point of the log. */
    public enum Rule {
        /** A copy was lent while it was lent (to any reader, the same one included) and not returned. */
        BOOK_LENT_TWICE,
        /** A reader held more than {@link LendBookCopyToReader#MAX_BOOKS_PER_READER} books at once. */
        READER_OVER_LIMIT,
        /** A copy was lent that was never added to circulation, or was removed and not added again. */
        BOOK_NOT_IN_CIRCULATION,
        /** A copy was lent to a reader never registered, or whose contract was canceled and who did not register again. */
        READER_NOT_REGISTERED
    }

    /**
     * One violation of a rule, by one event.
     *
     * @param sequenceNumber the sequence number of the {@code BookCopyLentToReader} event that broke the rule
     * @param rule the rule
     * @param bookId the copy lent
     * @param readerId the reader it was lent to
     * @param description what was wrong, in a sentence
     */
    public record Violation(long sequenceNumber, Rule rule, BookId bookId, ReaderId readerId, String description) {
        /** Requires every field; throws {@link InvalidLibraryInputException}. */
        public Violation {
            new Problems()
                    .check(sequenceNumber > 0, "sequence number must be positive, got " + sequenceNumber)
                    .notNull("rule", rule)
                    .notNull("book id", bookId)
                    .notNull("reader id", readerId)
                    .notNull("description", description)
                    .throwIfAny();
        }
    }
}
