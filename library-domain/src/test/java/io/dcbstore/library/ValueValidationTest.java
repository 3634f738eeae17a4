package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValueValidationTest {
    @Test
    void aBlankBookIdIsRejected() {
        assertThatThrownBy(() -> BookId.of(" ")).isInstanceOf(InvalidLibraryInputException.class);
    }

    @Test
    void anIdWithANulCharacterIsRejectedBecauseTheStoreCannotMatchIt() {
        assertThatThrownBy(() -> ReaderId.of("a\0b")).isInstanceOf(InvalidLibraryInputException.class);
    }

    @Test
    void bookDetailsReportEveryProblemTogether() {
        assertThatThrownBy(() -> new BookDetails("", null, "Someone", null, "", 0))
                .isInstanceOfSatisfying(
                        InvalidLibraryInputException.class,
                        e -> assertThat(e.problems()).hasSize(4));
    }

    @Test
    void aCommandNeedsItsIds() {
        assertThatThrownBy(() -> new LendBookCopyToReader(null, null))
                .isInstanceOfSatisfying(
                        InvalidLibraryInputException.class,
                        e -> assertThat(e.problems()).hasSize(2));
    }

    /** Each with one problem only, so that the problem is found by the constructor's own check. */
    static Stream<Arguments> valuesWithAMissingPart() {
        return Stream.of(
                Arguments.of("AddBookCopy without details", (ThrowingCallable) () -> new AddBookCopy(BOOK, null)),
                Arguments.of("RemoveBookCopy without a book", (ThrowingCallable) () -> new RemoveBookCopy(null)),
                Arguments.of(
                        "RegisterReader with a blank name", (ThrowingCallable) () -> new RegisterReader(READER, " ")),
                Arguments.of("CancelReaderContract without a reader", (ThrowingCallable)
                        () -> new CancelReaderContract(null)),
                Arguments.of("ReturnBookCopyFromReader without a reader", (ThrowingCallable)
                        () -> new ReturnBookCopyFromReader(BOOK, null)),
                Arguments.of("Append without a list", (ThrowingCallable) () -> new Decision.Append(null)),
                Arguments.of("Append with a null event", (ThrowingCallable)
                        () -> new Decision.Append(Arrays.asList(LibraryFixtures.added(BOOK), null))),
                Arguments.of("Idempotent with a blank reason", (ThrowingCallable) () -> Decision.idempotent(" ")),
                Arguments.of("BusinessFailure without a reason", (ThrowingCallable)
                        () -> Decision.businessFailure(null, new LendingBookToReaderFailed(BOOK, READER, "no"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesWithAMissingPart")
    void everyCommandAndDecisionRefusesAMissingPartWithTheLibrarysOwnException(
            String value, ThrowingCallable construction) {
        assertThatThrownBy(construction)
                .as(value)
                .isInstanceOfSatisfying(
                        InvalidLibraryInputException.class,
                        e -> assertThat(e.problems()).hasSize(1));
    }

    @Test
    void anAppendDecisionRefusesFailureEvents() {
        assertThatThrownBy(() -> Decision.append(new LendingBookToReaderFailed(BOOK, READER, "no")))
                .isInstanceOf(InvalidLibraryInputException.class);
    }

    @Test
    void aBusinessFailureRecordsItsReasonAsTheFailureInfo() {
        FailureReason reason = FailureReason.READER_NOT_REGISTERED;

        assertThatThrownBy(() ->
                        Decision.businessFailure(reason, new LendingBookToReaderFailed(BOOK, READER, "other text")))
                .isInstanceOf(InvalidLibraryInputException.class);
    }

    @Test
    void anIdempotentOutcomeHasNoCommitToken() {
        assertThat(CommandOutcome.idempotent("already done", 0).commitToken()).isEmpty();
    }

    @Test
    void aSuccessfulOutcomeHandsOutTheCommitTokenOfItsAppend() {
        CommitToken token = new CommitToken(7, 1234);

        assertThat(CommandOutcome.success("appended", 2, new AppendResult(7, 7, token))
                        .commitToken())
                .contains(token);
    }

    @Test
    void aBusinessFailureOutcomeMustNameItsReason() {
        assertThatThrownBy(() -> new CommandOutcome(
                        CommandOutcome.Status.BUSINESS_FAILURE,
                        "no",
                        null,
                        0,
                        new AppendResult(1, 1, new CommitToken(1, 1))))
                .isInstanceOf(InvalidLibraryInputException.class);
    }

    @Test
    void querySettingsRejectANegativeSnapshotThreshold() {
        assertThatThrownBy(() -> QuerySettings.defaults().withSnapshotAfterEvents(-1))
                .isInstanceOf(InvalidLibraryInputException.class);
    }

    @Test
    void commandSettingsReportEveryMissingPart() {
        assertThatThrownBy(() -> new CommandSettings(null, null, null, null))
                .isInstanceOfSatisfying(
                        InvalidLibraryInputException.class,
                        e -> assertThat(e.problems()).hasSize(4));
        assertThatThrownBy(() -> CommandSettings.defaults().withResendFor(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidLibraryInputException.class)
                .hasMessageContaining("resendFor");
    }
}
