package io.dcbstore.library;

/**
 * Why a command was refused by a business rule. The {@link #description()} is what the failure
 * event records as {@code FailureInfo} and what {@link CommandOutcome#reason()} says; code should
 * switch on the constant, never on the text.
 */
public enum FailureReason {
    /** The book copy was never added to circulation. */
    BOOK_NEVER_ADDED("book copy was never added to circulation"),
    /** The book copy is not in circulation now (never added, or removed). */
    BOOK_NOT_IN_CIRCULATION("book copy is not in circulation"),
    /** The book copy is lent out, so it cannot be removed from circulation. */
    BOOK_IS_LENT("book copy is currently lent to a reader"),
    /** The book copy is lent to a different reader. */
    BOOK_LENT_TO_ANOTHER_READER("book copy is already lent to another reader"),
    /** The reader never registered. */
    READER_NEVER_REGISTERED("reader was never registered"),
    /** The reader is not registered now (never registered, or contract canceled). */
    READER_NOT_REGISTERED("reader is not currently registered"),
    /** The reader still has book copies on loan, so the contract cannot be canceled. */
    READER_HAS_OUTSTANDING_LOANS("reader still has book copies on loan"),
    /** The reader already has {@link LendBookCopyToReader#MAX_BOOKS_PER_READER} copies on loan. */
    READER_HAS_TOO_MANY_BOOKS(
            "reader already has the maximum of " + LendBookCopyToReader.MAX_BOOKS_PER_READER + " book copies on loan"),
    /** The book copy was never lent to this reader. */
    BOOK_NOT_LENT_TO_READER("book copy is not lent to this reader");

    private final String description;

    FailureReason(String description) {
        this.description = description;
    }

    /** @return a human-readable sentence, recorded as the failure event's {@code FailureInfo} */
    public String description() {
        return description;
    }
}
