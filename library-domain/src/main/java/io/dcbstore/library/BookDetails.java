package io.dcbstore.library;

import io.dcbstore.library.internal.Problems;

/**
 * What is known about the book a copy is of, as recorded when the copy is added to circulation.
 *
 * @param isbn the ISBN ({@code ISBN}); not blank
 * @param title the title ({@code Title}); not blank
 * @param authors the authors, as one text ({@code Authors}); not blank
 * @param edition the edition ({@code Edition}); may be empty
 * @param publisher the publisher ({@code Publisher}); may be empty
 * @param publicationYear the year of publication ({@code PublicationYear}), 1 to 9999
 */
public record BookDetails(
        String isbn, String title, String authors, String edition, String publisher, int publicationYear) {
    /** Validates every field and reports every problem; throws {@link InvalidLibraryInputException}. */
    public BookDetails {
        new Problems()
                .text("ISBN", isbn)
                .text("title", title)
                .text("authors", authors)
                .optionalText("edition", edition)
                .optionalText("publisher", publisher)
                .check(
                        publicationYear >= 1 && publicationYear <= 9999,
                        "publication year must be between 1 and 9999, got " + publicationYear)
                .throwIfAny();
    }
}
