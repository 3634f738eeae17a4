package io.dcbstore.example.library;

import io.dcbstore.DatabaseException;
import io.dcbstore.InvalidInputException;
import io.dcbstore.library.ConcurrencyRetriesExhaustedException;
import io.dcbstore.library.FailureReason;
import io.dcbstore.library.InvalidLibraryInputException;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Failures as RFC 9457 problems: invalid input 400; a rule refused the command because of the
 * library's current state 409 (the copy is lent, the reader has too many books: the same request
 * may succeed later); a command about something that does not exist in that role 422 (a reader
 * not registered, a copy not in circulation); concurrency conflicts that outlasted every retry 409;
 * a database that may come back 503 with {@code Retry-After}. Malformed JSON, unknown fields and
 * fractional numbers for whole ones are 400 problems too ({@code application.properties}).
 */
@RestControllerAdvice
public class LibraryErrors {
    /** Refusals because of what the library holds now: the request itself is sound. */
    private static final Set<FailureReason> CONFLICTS = Set.of(
            FailureReason.BOOK_IS_LENT,
            FailureReason.BOOK_LENT_TO_ANOTHER_READER,
            FailureReason.READER_HAS_OUTSTANDING_LOANS,
            FailureReason.READER_HAS_TOO_MANY_BOOKS);

    /** Created by Spring. */
    public LibraryErrors() {}

    /** @return 409 or 422, with the failure reason */
    @ExceptionHandler
    public ProblemDetail refused(CommandRefusedException refused) {
        HttpStatus status =
                CONFLICTS.contains(refused.failureReason()) ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_ENTITY;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refused.getMessage());
        problem.setTitle("Command refused");
        problem.setProperty("failureReason", refused.failureReason().name());
        return problem;
    }

    /** @return 400, with every problem found */
    @ExceptionHandler
    public ProblemDetail invalid(InvalidLibraryInputException invalid) {
        return badRequest(invalid.getMessage(), invalid.problems());
    }

    /** @return 400: input the store refused before any SQL (for example an unpaired surrogate in an id) */
    @ExceptionHandler
    public ProblemDetail refusedByTheStore(InvalidInputException invalid) {
        return badRequest(invalid.getMessage(), invalid.problems());
    }

    private static ProblemDetail badRequest(String detail, List<String> problems) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid input");
        problem.setProperty("problems", problems);
        return problem;
    }

    /**
     * @return 503 with {@code Retry-After} when the database failed in a way that trying again may
     *     fix (unreachable, restarting, a deadlock); 500 otherwise
     */
    @ExceptionHandler
    public ResponseEntity<ProblemDetail> database(DatabaseException failure) {
        HttpStatus status = failure.isRetryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(status, "the database failed: " + failure.getMessage());
        problem.setTitle(failure.isRetryable() ? "Database unavailable, retry" : "Database error");
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (failure.isRetryable()) {
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return response.body(problem);
    }

    /** @return 409: others kept changing the same copy or reader; the client may retry */
    @ExceptionHandler
    public ProblemDetail busy(ConcurrencyRetriesExhaustedException busy) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, busy.getMessage());
        problem.setTitle("Concurrent changes, retry");
        return problem;
    }
}
