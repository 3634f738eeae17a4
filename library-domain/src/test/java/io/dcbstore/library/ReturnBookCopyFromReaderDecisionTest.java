package io.dcbstore.library;

import static io.dcbstore.library.DecisionAssertions.IDEMPOTENT;
import static io.dcbstore.library.DecisionAssertions.assertDecision;
import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_READER;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.LibraryFixtures.added;
import static io.dcbstore.library.LibraryFixtures.history;
import static io.dcbstore.library.LibraryFixtures.lent;
import static io.dcbstore.library.LibraryFixtures.registered;
import static io.dcbstore.library.LibraryFixtures.returned;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.library.LibraryEvent.ReturningBookFromReaderFailed;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReturnBookCopyFromReaderDecisionTest {
    private static final Decision RETURNS = Decision.append(returned(BOOK, READER));

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments(
                        "a reader who never registered cannot return anything",
                        history(added(BOOK)),
                        fails(FailureReason.READER_NEVER_REGISTERED)),
                arguments(
                        "a copy never added cannot be returned",
                        history(registered(READER)),
                        fails(FailureReason.BOOK_NEVER_ADDED)),
                arguments(
                        "a copy lent to nobody cannot be returned",
                        history(registered(READER), added(BOOK)),
                        fails(FailureReason.BOOK_NOT_LENT_TO_READER)),
                arguments(
                        "a copy lent to another reader cannot be returned by this one",
                        history(registered(READER), registered(OTHER_READER), added(BOOK), lent(BOOK, OTHER_READER)),
                        fails(FailureReason.BOOK_NOT_LENT_TO_READER)),
                arguments(
                        "a copy lent to this reader is returned",
                        history(registered(READER), added(BOOK), lent(BOOK, READER)),
                        RETURNS),
                arguments(
                        "a copy already returned is not returned again",
                        history(registered(READER), added(BOOK), lent(BOOK, READER), returned(BOOK, READER)),
                        IDEMPOTENT),
                arguments(
                        "a copy lent to this reader a second time is returned",
                        history(
                                registered(READER),
                                added(BOOK),
                                lent(BOOK, READER),
                                returned(BOOK, READER),
                                lent(BOOK, READER)),
                        RETURNS),
                arguments(
                        "a copy returned and now lent to someone else was already returned by this reader",
                        history(
                                registered(READER),
                                registered(OTHER_READER),
                                added(BOOK),
                                lent(BOOK, READER),
                                returned(BOOK, READER),
                                lent(BOOK, OTHER_READER)),
                        IDEMPOTENT),
                arguments(
                        "another copy on loan to this reader does not matter",
                        history(registered(READER), added(BOOK), added(OTHER_BOOK), lent(OTHER_BOOK, READER)),
                        fails(FailureReason.BOOK_NOT_LENT_TO_READER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void returningACopyFollowsTheRules(String rule, List<LibraryEvent> history, Decision expected) {
        assertDecision(new ReturnBookCopyFromReader(BOOK, READER).decide(history), expected);
    }

    private static Decision fails(FailureReason reason) {
        return Decision.businessFailure(reason, new ReturningBookFromReaderFailed(BOOK, READER, reason.description()));
    }
}
