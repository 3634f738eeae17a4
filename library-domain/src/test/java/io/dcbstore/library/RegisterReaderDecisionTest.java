package io.dcbstore.library;

import static io.dcbstore.library.DecisionAssertions.IDEMPOTENT;
import static io.dcbstore.library.DecisionAssertions.assertDecision;
import static io.dcbstore.library.LibraryFixtures.OTHER_READER;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.LibraryFixtures.canceled;
import static io.dcbstore.library.LibraryFixtures.history;
import static io.dcbstore.library.LibraryFixtures.registered;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegisterReaderDecisionTest {
    private static final Decision REGISTERS = Decision.append(new ReaderRegistered(READER, "Ada"));

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments("a new reader is registered", history(), REGISTERS),
                arguments("a registered reader is not registered again", history(registered(READER)), IDEMPOTENT),
                arguments(
                        "a reader whose contract was canceled may register again",
                        history(registered(READER), canceled(READER)),
                        REGISTERS),
                arguments(
                        "a reader who registered again is registered",
                        history(registered(READER), canceled(READER), registered(READER)),
                        IDEMPOTENT),
                arguments("another registered reader does not matter", history(registered(OTHER_READER)), REGISTERS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void registeringAReaderFollowsTheRules(String rule, List<LibraryEvent> history, Decision expected) {
        assertDecision(new RegisterReader(READER, "Ada").decide(history), expected);
    }
}
