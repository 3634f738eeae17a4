package io.dcbstore.library;

import static io.dcbstore.library.DecisionAssertions.IDEMPOTENT;
import static io.dcbstore.library.DecisionAssertions.assertDecision;
import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_READER;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.LibraryFixtures.added;
import static io.dcbstore.library.LibraryFixtures.canceled;
import static io.dcbstore.library.LibraryFixtures.history;
import static io.dcbstore.library.LibraryFixtures.lent;
import static io.dcbstore.library.LibraryFixtures.registered;
import static io.dcbstore.library.LibraryFixtures.returned;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.library.LibraryEvent.CancelingReaderContractFailed;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CancelReaderContractDecisionTest {
    private static final Decision CANCELS = Decision.append(canceled(READER));

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments(
                        "a reader who never registered has no contract to cancel",
                        history(),
                        fails(FailureReason.READER_NEVER_REGISTERED)),
                arguments(
                        "only this reader's history counts",
                        history(registered(OTHER_READER)),
                        fails(FailureReason.READER_NEVER_REGISTERED)),
                arguments("a registered reader's contract is canceled", history(registered(READER)), CANCELS),
                arguments(
                        "a canceled contract is not canceled again",
                        history(registered(READER), canceled(READER)),
                        IDEMPOTENT),
                arguments(
                        "a reader with a book on loan keeps the contract",
                        history(registered(READER), added(BOOK), lent(BOOK, READER)),
                        fails(FailureReason.READER_HAS_OUTSTANDING_LOANS)),
                arguments(
                        "a reader who returned every book can cancel",
                        history(
                                registered(READER),
                                added(BOOK),
                                added(OTHER_BOOK),
                                lent(BOOK, READER),
                                lent(OTHER_BOOK, READER),
                                returned(BOOK, READER),
                                returned(OTHER_BOOK, READER)),
                        CANCELS),
                arguments(
                        "a reader who returned only some books keeps the contract",
                        history(
                                registered(READER),
                                added(BOOK),
                                added(OTHER_BOOK),
                                lent(BOOK, READER),
                                lent(OTHER_BOOK, READER),
                                returned(BOOK, READER)),
                        fails(FailureReason.READER_HAS_OUTSTANDING_LOANS)),
                arguments(
                        "another reader's loans do not matter",
                        history(registered(READER), registered(OTHER_READER), added(BOOK), lent(BOOK, OTHER_READER)),
                        CANCELS),
                arguments(
                        "a reader who registered again can cancel again",
                        history(registered(READER), canceled(READER), registered(READER)),
                        CANCELS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void cancelingAContractFollowsTheRules(String rule, List<LibraryEvent> history, Decision expected) {
        assertDecision(new CancelReaderContract(READER).decide(history), expected);
    }

    private static Decision fails(FailureReason reason) {
        return Decision.businessFailure(reason, new CancelingReaderContractFailed(READER, reason.description()));
    }
}
