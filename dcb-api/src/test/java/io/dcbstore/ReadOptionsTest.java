package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ReadOptions}: presets, validation and copies. */
class ReadOptionsTest {

    @Test
    void thePresetsHaveTheirConsistencyAndNothingElse() {
        assertThat(ReadOptions.STRONG.consistency()).isEqualTo(Consistency.STRONG);
        assertThat(ReadOptions.EVENTUAL.consistency()).isEqualTo(Consistency.EVENTUAL);
        assertThat(ReadOptions.STRONG.atLeast()).isNull();
        assertThat(ReadOptions.STRONG.timeout()).isNull();
        assertThat(ReadOptions.STRONG.cancellation()).isNull();
    }

    @Test
    void aNullConsistencyIsRejected() {
        assertThatThrownBy(() -> new ReadOptions(null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("read consistency must not be null");
    }

    @Test
    void aZeroOrNegativeTimeoutIsRejectedShowingIt() {
        assertThatThrownBy(() -> ReadOptions.STRONG.withTimeout(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("read timeout must be positive, got PT0S");
        assertThatThrownBy(() -> ReadOptions.EVENTUAL.withTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("got PT-0.005S");
    }

    @Test
    void copiesChangeOneFieldAndKeepTheOthers() {
        CommitToken token = new CommitToken(5, 100);
        Cancellation cancellation = Cancellation.create();

        ReadOptions options = ReadOptions.EVENTUAL
                .withAtLeast(token)
                .withTimeout(Duration.ofNanos(1))
                .withCancellation(cancellation);

        assertThat(options.consistency()).isEqualTo(Consistency.EVENTUAL);
        assertThat(options.atLeast()).isEqualTo(token);
        assertThat(options.timeout()).isEqualTo(Duration.ofNanos(1));
        assertThat(options.cancellation()).isSameAs(cancellation);
        assertThat(ReadOptions.EVENTUAL.atLeast()).isNull();
        assertThat(options.withTimeout(null).timeout()).isNull();
    }

    @Test
    void everyProblemOfReadOptionsIsReportedAtOnce() {
        InvalidInputException error = catchThrowableOfType(
                InvalidInputException.class, () -> new ReadOptions(null, null, Duration.ZERO, null));

        assertThat(error.problems()).hasSize(2);
    }
}
