package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static io.dcbstore.library.LibraryFixtures.OTHER_READER;
import static io.dcbstore.library.LibraryFixtures.READER;
import static io.dcbstore.library.LibraryFixtures.added;
import static io.dcbstore.library.LibraryFixtures.canceled;
import static io.dcbstore.library.LibraryFixtures.lent;
import static io.dcbstore.library.LibraryFixtures.registered;
import static io.dcbstore.library.LibraryFixtures.removed;
import static io.dcbstore.library.LibraryFixtures.returned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dcbstore.Event;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.LibraryEvent.CancelingReaderContractFailed;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import io.dcbstore.library.LibraryEvent.RemovingBookFromCirculationFailed;
import io.dcbstore.library.LibraryEvent.ReturningBookFromReaderFailed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A boundary must contain every event its decision depends on (or a concurrent change would go
 * unnoticed) and should contain nothing else (or unrelated appends would cause needless conflicts).
 */
class CommandBoundaryTest {
    private static final List<LibraryEvent> FAILURES = List.of(
            new LendingBookToReaderFailed(BOOK, READER, "x"), new ReturningBookFromReaderFailed(BOOK, READER, "x"),
            new RemovingBookFromCirculationFailed(BOOK, "x"), new CancelingReaderContractFailed(READER, "x"));

    static Stream<Arguments> boundaries() {
        List<Arguments> cases = new ArrayList<>();
        add(
                cases,
                new AddBookCopy(BOOK, DETAILS),
                List.of(added(BOOK), removed(BOOK)),
                List.of(added(OTHER_BOOK), lent(BOOK, READER), registered(READER)));
        add(
                cases,
                new RemoveBookCopy(BOOK),
                List.of(added(BOOK), removed(BOOK), lent(BOOK, READER), returned(BOOK, READER)),
                List.of(added(OTHER_BOOK), lent(OTHER_BOOK, READER), registered(READER)));
        add(
                cases,
                new RegisterReader(READER, "Ada"),
                List.of(registered(READER), canceled(READER)),
                List.of(registered(OTHER_READER), lent(BOOK, READER)));
        add(
                cases,
                new CancelReaderContract(READER),
                List.of(registered(READER), canceled(READER), lent(BOOK, READER), returned(BOOK, READER)),
                List.of(registered(OTHER_READER), lent(BOOK, OTHER_READER), added(BOOK)));
        add(
                cases,
                new LendBookCopyToReader(BOOK, READER),
                List.of(
                        added(BOOK),
                        removed(BOOK),
                        lent(BOOK, OTHER_READER),
                        returned(BOOK, OTHER_READER),
                        registered(READER),
                        canceled(READER),
                        lent(OTHER_BOOK, READER),
                        returned(OTHER_BOOK, READER)),
                List.of(added(OTHER_BOOK), registered(OTHER_READER), lent(OTHER_BOOK, OTHER_READER)));
        add(
                cases,
                new ReturnBookCopyFromReader(BOOK, READER),
                List.of(added(BOOK), registered(READER), lent(BOOK, READER), returned(BOOK, READER)),
                List.of(
                        lent(BOOK, OTHER_READER),
                        returned(BOOK, OTHER_READER),
                        lent(OTHER_BOOK, READER),
                        removed(BOOK),
                        canceled(READER)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaries")
    void aBoundaryContainsExactlyTheEventsItsDecisionDependsOn(
            String sentence, LibraryCommand command, LibraryEvent event, boolean dependsOn) {
        assertThat(command.boundary().matches(stored(event))).as(sentence).isEqualTo(dependsOn);
    }

    static Stream<LibraryCommand> commands() {
        return Stream.of(
                new AddBookCopy(BOOK, DETAILS),
                new RemoveBookCopy(BOOK),
                new RegisterReader(READER, "Ada"),
                new CancelReaderContract(READER),
                new LendBookCopyToReader(BOOK, READER),
                new ReturnBookCopyFromReader(BOOK, READER));
    }

    @ParameterizedTest(name = "failure events never change the decision of {0}")
    @MethodSource("commands")
    void failureEventsNeverChangeADecision(LibraryCommand command) {
        List<LibraryEvent> history = List.of(registered(READER), added(BOOK), lent(BOOK, READER));
        List<LibraryEvent> withFailures = new ArrayList<>(FAILURES);
        for (LibraryEvent event : history) {
            withFailures.add(event);
            withFailures.addAll(FAILURES);
        }

        assertThat(command.decide(withFailures)).isEqualTo(command.decide(history));
    }

    private static void add(
            List<Arguments> cases, LibraryCommand command, List<LibraryEvent> dependsOn, List<LibraryEvent> ignores) {
        String name = command.getClass().getSimpleName();
        dependsOn.forEach(event -> cases.add(arguments(name + " depends on " + event, command, event, true)));
        ignores.forEach(event -> cases.add(arguments(name + " ignores " + event, command, event, false)));
        FAILURES.forEach(
                event -> cases.add(arguments(name + " ignores the failure event " + event, command, event, false)));
    }

    private static StoredEvent stored(LibraryEvent event) {
        Event encoded = LibraryEventCodec.encode(event, new EventMetadata("m", "c", "c"), Instant.EPOCH);
        return new StoredEvent(1, encoded.type(), encoded.payload(), encoded.metadata(), encoded.occurredAt());
    }
}
