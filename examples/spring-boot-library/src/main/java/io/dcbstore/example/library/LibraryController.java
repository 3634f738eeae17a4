package io.dcbstore.example.library;

import io.dcbstore.CommitToken;
import io.dcbstore.library.AddBookCopy;
import io.dcbstore.library.BookDetails;
import io.dcbstore.library.BookId;
import io.dcbstore.library.BooksInCirculation;
import io.dcbstore.library.BooksLentByReader;
import io.dcbstore.library.BooksLentOut;
import io.dcbstore.library.CancelReaderContract;
import io.dcbstore.library.CommandOutcome;
import io.dcbstore.library.LendBookCopyToReader;
import io.dcbstore.library.LibraryCommand;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.library.ReaderId;
import io.dcbstore.library.RegisterReader;
import io.dcbstore.library.RegisteredReaders;
import io.dcbstore.library.RemoveBookCopy;
import io.dcbstore.library.ReturnBookCopyFromReader;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The library over HTTP. Commands answer 201 when they changed the library, 200 when they had
 * already taken effect, and a problem (409 or 422, {@link LibraryErrors}) when a rule refused
 * them; queries answer with the read model as JSON.
 */
@RestController
public class LibraryController {
    private final LibraryCommands commands;
    private final LibraryQueries queries;

    /**
     * @param commands the command handler
     * @param queries the query handler
     */
    public LibraryController(LibraryCommands commands, LibraryQueries queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /**
     * A copy of a book to add to circulation.
     *
     * @param bookId the copy's id
     * @param isbn the ISBN
     * @param title the title
     * @param authors the authors
     * @param edition the edition (may be left out)
     * @param publisher the publisher (may be left out)
     * @param publicationYear the year of publication
     */
    public record NewCopy(
            String bookId,
            String isbn,
            String title,
            String authors,
            String edition,
            String publisher,
            int publicationYear) {}

    /**
     * @param readerId the reader's id
     * @param name the reader's name
     */
    public record NewReader(String readerId, String name) {}

    /**
     * @param bookId the copy
     * @param readerId the reader
     */
    public record CopyAndReader(String bookId, String readerId) {}

    /**
     * What a command did.
     *
     * @param status SUCCESS or IDEMPOTENT (refusals are problems, see {@link LibraryErrors})
     * @param reason what was appended, or why nothing was needed
     * @param commitToken the token of what was appended, or null
     */
    public record Outcome(String status, String reason, CommitToken commitToken) {}

    /** @return the outcome of adding the copy to circulation */
    @PostMapping("/copies")
    public ResponseEntity<Outcome> addCopy(@RequestBody NewCopy copy) {
        BookDetails details = new BookDetails(
                copy.isbn(),
                copy.title(),
                copy.authors(),
                Objects.requireNonNullElse(copy.edition(), ""),
                Objects.requireNonNullElse(copy.publisher(), ""),
                copy.publicationYear());
        return handle(new AddBookCopy(bookId(copy.bookId()), details));
    }

    /** @return the outcome of removing the copy from circulation */
    @DeleteMapping("/copies/{bookId}")
    public ResponseEntity<Outcome> removeCopy(@PathVariable String bookId) {
        return handle(new RemoveBookCopy(bookId(bookId)));
    }

    /** @return the outcome of registering the reader */
    @PostMapping("/readers")
    public ResponseEntity<Outcome> registerReader(@RequestBody NewReader reader) {
        return handle(new RegisterReader(readerId(reader.readerId()), reader.name()));
    }

    /** @return the outcome of canceling the reader's contract */
    @DeleteMapping("/readers/{readerId}")
    public ResponseEntity<Outcome> cancelReader(@PathVariable String readerId) {
        return handle(new CancelReaderContract(readerId(readerId)));
    }

    /** @return the outcome of lending the copy to the reader */
    @PostMapping("/lendings")
    public ResponseEntity<Outcome> lend(@RequestBody CopyAndReader lending) {
        return handle(new LendBookCopyToReader(bookId(lending.bookId()), readerId(lending.readerId())));
    }

    /** @return the outcome of the reader returning the copy */
    @PostMapping("/returns")
    public ResponseEntity<Outcome> giveBack(@RequestBody CopyAndReader lending) {
        return handle(new ReturnBookCopyFromReader(bookId(lending.bookId()), readerId(lending.readerId())));
    }

    /** @return the copies in circulation */
    @GetMapping("/copies")
    public BooksInCirculation copies() {
        return queries.booksInCirculation();
    }

    /** @return the copies lent out now */
    @GetMapping("/lendings")
    public BooksLentOut lendings() {
        return queries.booksLentOut();
    }

    /** @return the registered readers */
    @GetMapping("/readers")
    public RegisteredReaders readers() {
        return queries.registeredReaders();
    }

    /** @return the copies the reader has on loan now */
    @GetMapping("/readers/{readerId}/loans")
    public BooksLentByReader loans(@PathVariable String readerId) {
        return queries.booksLentByReader(readerId(readerId));
    }

    private ResponseEntity<Outcome> handle(LibraryCommand command) {
        CommandOutcome outcome = commands.handle(command);
        if (outcome.status() == CommandOutcome.Status.BUSINESS_FAILURE) {
            throw new CommandRefusedException(outcome);
        }
        Outcome body = new Outcome(
                outcome.status().name(), outcome.reason(), outcome.commitToken().orElse(null));
        HttpStatus status = outcome.status() == CommandOutcome.Status.SUCCESS ? HttpStatus.CREATED : HttpStatus.OK;
        return ResponseEntity.status(status).body(body);
    }

    private static BookId bookId(String value) {
        return new BookId(value);
    }

    private static ReaderId readerId(String value) {
        return new ReaderId(value);
    }
}
