package io.dcbstore.library;

import static io.dcbstore.library.DecisionAssertions.IDEMPOTENT;
import static io.dcbstore.library.DecisionAssertions.assertDecision;
import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.LibraryFixtures.added;
import static io.dcbstore.library.LibraryFixtures.history;
import static io.dcbstore.library.LibraryFixtures.lent;
import static io.dcbstore.library.LibraryFixtures.registered;
import static io.dcbstore.library.LibraryFixtures.removed;
import static io.dcbstore.library.LibraryFixtures.returned;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.library.LibraryEvent.RemovingBookFromCirculationFailed;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoveBookCopyDecisionTest {
    private static final Decision REMOVES = Decision.append(removed(BOOK));

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments("a copy never added cannot be removed", history(), fails(FailureReason.BOOK_NEVER_ADDED)),
                arguments(
                        "only this copy's history counts",
                        history(added(OTHER_BOOK)),
                        fails(FailureReason.BOOK_NEVER_ADDED)),
                arguments("a copy in circulation is removed", history(added(BOOK)), REMOVES),
                arguments("a removed copy is not removed again", history(added(BOOK), removed(BOOK)), IDEMPOTENT),
                arguments(
                        "a lent copy cannot be removed",
                        history(added(BOOK), registered(READER), lent(BOOK, READER)),
                        fails(FailureReason.BOOK_IS_LENT)),
                arguments(
                        "a returned copy can be removed",
                        history(added(BOOK), registered(READER), lent(BOOK, READER), returned(BOOK, READER)),
                        REMOVES),
                arguments(
                        "a copy added again after removal can be removed again",
                        history(added(BOOK), removed(BOOK), added(BOOK)),
                        REMOVES),
                arguments(
                        "a copy removed twice in its life is removed",
                        history(added(BOOK), removed(BOOK), added(BOOK), removed(BOOK)),
                        IDEMPOTENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void removingACopyFollowsTheRules(String rule, List<LibraryEvent> history, Decision expected) {
        assertDecision(new RemoveBookCopy(BOOK).decide(history), expected);
    }

    private static Decision fails(FailureReason reason) {
        return Decision.businessFailure(reason, new RemovingBookFromCirculationFailed(BOOK, reason.description()));
    }
}
