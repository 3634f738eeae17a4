package io.dcbstore.simulator.load;

import io.dcbstore.EventStoreException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.library.AddBookCopy;
import io.dcbstore.library.BookDetails;
import io.dcbstore.library.BookId;
import io.dcbstore.library.CancelReaderContract;
import io.dcbstore.library.CommandOutcome;
import io.dcbstore.library.ConcurrencyRetriesExhaustedException;
import io.dcbstore.library.LendBookCopyToReader;
import io.dcbstore.library.LibraryCommand;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.LibraryException;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.library.ReaderId;
import io.dcbstore.library.RegisterReader;
import io.dcbstore.library.RemoveBookCopy;
import io.dcbstore.library.ReturnBookCopyFromReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The scenario: which request comes next (on the pacing thread, from a seeded random source) and
 * how it runs (on a worker). It keeps a rough model of the library (who holds which copy) so that
 * most requests are plausible, while a configurable share deliberately produces business failures,
 * idempotent repeats and real concurrency conflicts (several readers competing for a few hot copies).
 */
public final class Workload implements Scenario {
    /** One request, decided by the pacer. */
    public record Request(RequestKind operation, LibraryCommand command, ReaderId reader, long intendedNanos) {}

    /** How one request ended. */
    public record Result(Outcome outcome, int retries) {}

    private final LibraryCommands commands;
    private final LibraryQueries queries;
    private final Mix mix;
    private final Random random;
    private final long seededBooks;
    private final long seededReaders;
    private final Map<BookId, ReaderId> lent = new ConcurrentHashMap<>();
    private final List<BookId> lentKeys = new ArrayList<>();
    private final Map<ReaderId, Boolean> canceled = new ConcurrentHashMap<>();
    private final AtomicLong newBooks = new AtomicLong();
    private final AtomicLong newReaders = new AtomicLong();
    private final Map<RequestKind, LibraryCommand> lastSucceeded = new ConcurrentHashMap<>();
    private final BookId[] hotBooks;

    /**
     * @param commands the command handlers
     * @param queries the query handlers
     * @param mix the operation weights and the share of contested, repeated and failing requests
     * @param seed the random seed
     * @param seededBooks book copies {@code book-0..n-1} in the seeded history
     * @param seededReaders readers {@code reader-0..n-1} in the seeded history
     */
    public Workload(
            LibraryCommands commands,
            LibraryQueries queries,
            Mix mix,
            long seed,
            long seededBooks,
            long seededReaders) {
        this.commands = commands;
        this.queries = queries;
        this.mix = mix;
        this.random = new Random(seed);
        this.seededBooks = seededBooks;
        this.seededReaders = seededReaders;
        this.hotBooks = new BookId[Math.max(1, mix.hotBooks())];
        for (int i = 0; i < hotBooks.length; i++) {
            hotBooks[i] = BookId.of("book-" + (seededBooks - 1 - i));
        }
    }

    /** @return the query handlers the workload uses */
    public LibraryQueries queries() {
        return queries;
    }

    /**
     * Decides the next request. Called by the pacing thread only.
     *
     * @param intendedNanos when it is meant to start
     * @return the request
     */
    @Override
    public Request next(long intendedNanos) {
        RequestKind operation = mix.pick(random);
        return switch (operation) {
            case LEND -> new Request(operation, lend(), null, intendedNanos);
            case RETURN -> new Request(operation, giveBack(), null, intendedNanos);
            case ADD_COPY -> new Request(operation, repeatOr(operation, this::addCopy), null, intendedNanos);
            case REMOVE_COPY -> new Request(operation, new RemoveBookCopy(randomBook()), null, intendedNanos);
            case REGISTER_READER -> new Request(operation, repeatOr(operation, this::register), null, intendedNanos);
            case CANCEL_READER -> new Request(operation, new CancelReaderContract(randomReader()), null, intendedNanos);
            case BOOKS_LENT_BY_READER -> new Request(operation, null, readerLikelyHolding(), intendedNanos);
            default -> new Request(operation, null, null, intendedNanos);
        };
    }

    private LibraryCommand lend() {
        BookId book = random.nextDouble() < mix.contention() ? hotBooks[random.nextInt(hotBooks.length)] : randomBook();
        return new LendBookCopyToReader(book, randomReader());
    }

    private LibraryCommand giveBack() {
        if (random.nextDouble() >= mix.failures()) {
            synchronized (lentKeys) {
                while (!lentKeys.isEmpty()) {
                    int index = random.nextInt(lentKeys.size());
                    BookId book = lentKeys.get(index);
                    ReaderId reader = lent.get(book);
                    // Taken out of the candidates now, not when the return succeeds: otherwise,
                    // while it waits in the queue, the same copy is returned again and again, and
                    // once the loans run low (readers at their limit) every return collides with
                    // its duplicates (conflicts, then "already returned"), which slows every
                    // request, which lets more duplicates in.
                    lentKeys.set(index, lentKeys.get(lentKeys.size() - 1));
                    lentKeys.remove(lentKeys.size() - 1);
                    if (reader != null) {
                        return new ReturnBookCopyFromReader(book, reader);
                    }
                }
            }
        }
        return new ReturnBookCopyFromReader(randomBook(), randomReader());
    }

    private LibraryCommand addCopy() {
        long n = newBooks.incrementAndGet();
        BookId book = BookId.of("sim-book-" + n);
        return new AddBookCopy(
                book,
                new BookDetails(
                        "978-" + (1_000_000_000L + n),
                        "Simulated title " + n,
                        "Author " + (n % 997),
                        "1",
                        "Publisher " + (n % 50),
                        1950 + (int) (n % 75)));
    }

    private LibraryCommand register() {
        long n = newReaders.incrementAndGet();
        return new RegisterReader(ReaderId.of("sim-reader-" + n), "Simulated reader " + n);
    }

    private LibraryCommand repeatOr(RequestKind operation, Supplier<LibraryCommand> fresh) {
        LibraryCommand last = lastSucceeded.get(operation);
        return last != null && random.nextDouble() < mix.repeats() ? last : fresh.get();
    }

    private BookId randomBook() {
        long added = newBooks.get();
        if (added > 0 && random.nextInt(10) == 0) {
            return BookId.of("sim-book-" + (1 + (long) (random.nextDouble() * added)));
        }
        return BookId.of("book-" + (long) (random.nextDouble() * seededBooks));
    }

    private ReaderId randomReader() {
        long registered = newReaders.get();
        if (registered > 0 && random.nextInt(10) == 0) {
            return ReaderId.of("sim-reader-" + (1 + (long) (random.nextDouble() * registered)));
        }
        return ReaderId.of("reader-" + (long) (random.nextDouble() * seededReaders));
    }

    private ReaderId readerLikelyHolding() {
        synchronized (lentKeys) {
            if (!lentKeys.isEmpty() && random.nextBoolean()) {
                ReaderId reader = lent.get(lentKeys.get(random.nextInt(lentKeys.size())));
                if (reader != null) {
                    return reader;
                }
            }
        }
        return randomReader();
    }

    /**
     * Runs a request on the calling worker thread.
     *
     * @param request the request
     * @return its outcome and how many conflicts it retried
     */
    @Override
    public Result execute(Request request) {
        try {
            if (!request.operation().isCommand()) {
                query(request);
                return new Result(Outcome.OK, 0);
            }
            CommandOutcome outcome = commands.handle(request.command());
            remember(request, outcome);
            return new Result(
                    switch (outcome.status()) {
                        case SUCCESS -> Outcome.OK;
                        case IDEMPOTENT -> Outcome.IDEMPOTENT;
                        case BUSINESS_FAILURE -> Outcome.BUSINESS_FAILURE;
                    },
                    outcome.retries());
        } catch (ConcurrencyRetriesExhaustedException e) {
            putBack(request);
            return new Result(Outcome.ERROR, e.attempts());
        } catch (OperationTimeoutException e) {
            putBack(request);
            return new Result(Outcome.TIMEOUT, 0);
        } catch (EventStoreException | LibraryException e) {
            putBack(request);
            return new Result(hasTimeoutCause(e) ? Outcome.TIMEOUT : Outcome.ERROR, 0);
        }
    }

    /** A return whose outcome is unknown: the copy may still be lent, so it can be returned later. */
    private void putBack(Request request) {
        if (request.command() instanceof ReturnBookCopyFromReader giveBack
                && giveBack.readerId().equals(lent.get(giveBack.bookId()))) {
            synchronized (lentKeys) {
                lentKeys.add(giveBack.bookId());
            }
        }
    }

    private static boolean hasTimeoutCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OperationTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void query(Request request) {
        switch (request.operation()) {
            case BOOKS_LENT_BY_READER -> queries.booksLentByReader(request.reader());
            case BOOKS_IN_CIRCULATION -> queries.booksInCirculation();
            case BOOKS_LENT_OUT -> queries.booksLentOut();
            case REGISTERED_READERS -> queries.registeredReaders();
            default -> throw new IllegalArgumentException("not a query: " + request.operation());
        }
    }

    private void remember(Request request, CommandOutcome outcome) {
        if (outcome.status() != CommandOutcome.Status.SUCCESS) {
            if (request.command() instanceof ReturnBookCopyFromReader giveBack) {
                // already returned, or not lent to this reader: the model forgets the loan
                lent.remove(giveBack.bookId(), giveBack.readerId());
            }
            return;
        }
        lastSucceeded.put(request.operation(), request.command());
        if (request.command() instanceof LendBookCopyToReader lend) {
            if (lent.put(lend.bookId(), lend.readerId()) == null) {
                synchronized (lentKeys) {
                    lentKeys.add(lend.bookId());
                }
            }
        } else if (request.command() instanceof ReturnBookCopyFromReader giveBack) {
            lent.remove(giveBack.bookId(), giveBack.readerId());
        } else if (request.command() instanceof CancelReaderContract cancel) {
            canceled.put(cancel.readerId(), Boolean.TRUE);
        }
    }
}
