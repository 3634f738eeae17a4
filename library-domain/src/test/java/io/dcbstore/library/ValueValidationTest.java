package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.AppendResult;
import io.dcbstore.CommitToken;
import io.dcbstore.library.LibraryEvent.LendingBookToReaderFailed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
