package io.dcbstore.library;

import static io.dcbstore.library.DecisionAssertions.IDEMPOTENT;
import static io.dcbstore.library.DecisionAssertions.assertDecision;
import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.LibraryFixtures.added;
import static io.dcbstore.library.LibraryFixtures.history;
import static io.dcbstore.library.LibraryFixtures.lent;
import static io.dcbstore.library.LibraryFixtures.registered;
import static io.dcbstore.library.LibraryFixtures.removed;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddBookCopyDecisionTest {
    private static final Decision ADDS = Decision.append(added(BOOK));

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments("a copy never seen before is added", history(), ADDS),
                arguments("a copy already in circulation is not added again", history(added(BOOK)), IDEMPOTENT),
                arguments(
                        "a copy that is lent out is still in circulation",
                        history(added(BOOK), registered(READER), lent(BOOK, READER)),
                        IDEMPOTENT),
                arguments("a removed copy may be added again", history(added(BOOK), removed(BOOK)), ADDS),
                arguments(
                        "a copy added again after removal is in circulation",
                        history(added(BOOK), removed(BOOK), added(BOOK)),
                        IDEMPOTENT),
                arguments("another copy in circulation does not matter", history(added(OTHER_BOOK)), ADDS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void addingACopyFollowsTheRules(String rule, List<LibraryEvent> history, Decision expected) {
        assertDecision(new AddBookCopy(BOOK, DETAILS).decide(history), expected);
    }
}
