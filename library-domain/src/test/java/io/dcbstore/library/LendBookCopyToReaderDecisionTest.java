package io.dcbstore.library;

import static io.dcbstore.library.DecisionAssertions.IDEMPOTENT;
import static io.dcbstore.library.DecisionAssertions.assertDecision;
import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_READER;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.LibraryFixtures.added;
import static io.dcbstore.library.LibraryFixtures.addedAndLent;
import static io.dcbstore.library.LibraryFixtures.books;
import static io.dcbstore.library.LibraryFixtures.canceled;
import static io.dcbstore.library.LibraryFixtures.history;
import static io.dcbstore.library.LibraryFixtures.lent;
import static io.dcbstore.library.LibraryFixtures.registered;
import static io.dcbstore.library.LibraryFixtures.removed;
import static io.dcbstore.library.LibraryFixtures.returned;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LendBookCopyToReaderDecisionTest {
    private static final Decision LENDS = Decision.append(lent(BOOK, READER));
    private static final List<BookId> TEN_BOOKS = books(LendBookCopyToReader.MAX_BOOKS_PER_READER);
    private static final List<BookId> NINE_BOOKS = books(LendBookCopyToReader.MAX_BOOKS_PER_READER - 1);

    static Stream<Arguments> rules() {
        return Stream.concat(basicRules(), complexHistories());
    }

    static Stream<Arguments> basicRules() {
        return Stream.of(
                arguments(
                        "a copy in circulation is lent to a registered reader",
                        history(registered(READER), added(BOOK)),
                        LENDS),
                arguments(
                        "a reader who never registered cannot borrow",
                        history(added(BOOK)),
                        fails(FailureReason.READER_NOT_REGISTERED)),
                arguments(
                        "a reader whose contract was canceled cannot borrow",
                        history(registered(READER), canceled(READER), added(BOOK)),
                        fails(FailureReason.READER_NOT_REGISTERED)),
                arguments(
                        "the reader rule is checked before the book rule",
                        history(),
                        fails(FailureReason.READER_NOT_REGISTERED)),
                arguments(
                        "a copy never added cannot be lent",
                        history(registered(READER)),
                        fails(FailureReason.BOOK_NOT_IN_CIRCULATION)),
                arguments(
                        "a removed copy cannot be lent",
                        history(registered(READER), added(BOOK), removed(BOOK)),
                        fails(FailureReason.BOOK_NOT_IN_CIRCULATION)),
                arguments(
                        "a copy already lent to this reader is not lent again",
                        history(registered(READER), added(BOOK), lent(BOOK, READER)),
                        IDEMPOTENT),
                arguments(
                        "a copy lent to another reader cannot be lent",
                        history(registered(READER), registered(OTHER_READER), added(BOOK), lent(BOOK, OTHER_READER)),
                        fails(FailureReason.BOOK_LENT_TO_ANOTHER_READER)),
                arguments(
                        "a copy returned by another reader can be lent",
                        history(
                                registered(READER),
                                registered(OTHER_READER),
                                added(BOOK),
                                lent(BOOK, OTHER_READER),
                                returned(BOOK, OTHER_READER)),
                        LENDS),
                arguments(
                        "a copy this reader returned can be lent to them again",
                        history(registered(READER), added(BOOK), lent(BOOK, READER), returned(BOOK, READER)),
                        LENDS));
    }

    static Stream<Arguments> complexHistories() {
        return Stream.of(
                arguments(
                        "a copy added again after removal can be lent",
                        history(registered(READER), added(BOOK), removed(BOOK), added(BOOK)),
                        LENDS),
                arguments(
                        "a reader who registered again can borrow",
                        history(registered(READER), canceled(READER), registered(READER), added(BOOK)),
                        LENDS),
                arguments(
                        "a reader holding nine copies may borrow a tenth",
                        history(registered(READER), addedAndLent(NINE_BOOKS, READER), added(BOOK)),
                        LENDS),
                arguments(
                        "a reader holding ten copies cannot borrow an eleventh",
                        history(registered(READER), addedAndLent(TEN_BOOKS, READER), added(BOOK)),
                        fails(FailureReason.READER_HAS_TOO_MANY_BOOKS)),
                arguments(
                        "a reader at the limit may borrow again after returning one",
                        history(
                                registered(READER),
                                addedAndLent(TEN_BOOKS, READER),
                                returned(TEN_BOOKS.get(3), READER),
                                added(BOOK)),
                        LENDS),
                arguments(
                        "another reader's ten loans do not count against this reader",
                        history(
                                registered(READER),
                                registered(OTHER_READER),
                                addedAndLent(TEN_BOOKS, OTHER_READER),
                                added(BOOK)),
                        LENDS),
                arguments(
                        "a reader at the limit still sees a copy they hold as already lent",
                        history(registered(READER), added(BOOK), lent(BOOK, READER), addedAndLent(NINE_BOOKS, READER)),
                        IDEMPOTENT),
                arguments(
                        "other copies being removed do not matter",
                        history(registered(READER), added(BOOK), added(OTHER_BOOK), removed(OTHER_BOOK)),
                        LENDS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void lendingACopyFollowsTheRules(String rule, List<LibraryEvent> history, Decision expected) {
        assertDecision(new LendBookCopyToReader(BOOK, READER).decide(history), expected);
    }

    private static Decision fails(FailureReason reason) {
        return Decision.businessFailure(reason, new LendingBookToReaderFailed(BOOK, READER, reason.description()));
    }
}
