package io.dcbstore.library;

/**
 * The keys of the events' JSON payloads, spelled as in the Go DCB reference implementation so
 * that both write the same log. Boundaries match events by these keys.
 */
public final class PayloadKeys {
    /** The book copy: {@link BookId}. */
    public static final String BOOK_ID = "BookID";
    /** The reader: {@link ReaderId}. */
    public static final String READER_ID = "ReaderID";
    /** {@link BookDetails#isbn()}. */
    public static final String ISBN = "ISBN";
    /** {@link BookDetails#title()}. */
    public static final String TITLE = "Title";
    /** {@link BookDetails#authors()}. */
    public static final String AUTHORS = "Authors";
    /** {@link BookDetails#edition()}. */
    public static final String EDITION = "Edition";
    /** {@link BookDetails#publisher()}. */
    public static final String PUBLISHER = "Publisher";
    /** {@link BookDetails#publicationYear()}, a JSON number. */
    public static final String PUBLICATION_YEAR = "PublicationYear";
    /** The reader's name. */
    public static final String NAME = "Name";
    /** Why a command failed, in a failure event. */
    public static final String FAILURE_INFO = "FailureInfo";

    private PayloadKeys() {}
}
