package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link SubscriptionOptions}: the defaults, validation with every problem at once, and copies. */
class SubscriptionOptionsTest {

    @Test
    void theDefaultsAreStrongAThousandBufferedPagesOfFiveHundredAPollEveryHalfSecondAndRetriesUpToFiveSeconds() {
        assertThat(SubscriptionOptions.DEFAULTS)
                .isEqualTo(new SubscriptionOptions(
                        Consistency.STRONG, 1_000, 500, Duration.ofMillis(500), Duration.ofSeconds(5)));
    }

    @Test
    void theSmallestValuesAreAccepted() {
        SubscriptionOptions smallest =
                new SubscriptionOptions(Consistency.EVENTUAL, 1, 1, Duration.ofNanos(1), Duration.ofNanos(1));

        assertThat(smallest.bufferSize()).isEqualTo(1);
        assertThat(smallest.pageSize()).isEqualTo(1);
        assertThat(smallest.pollInterval()).isEqualTo(Duration.ofNanos(1));
        assertThat(smallest.maxRetryBackoff()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void aNullConsistencyIsRejected() {
        assertThatThrownBy(() -> SubscriptionOptions.DEFAULTS.withConsistency(null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: consistency must not be null");
    }

    @Test
    void aBufferSizeOrPageSizeBelowOneIsRejectedShowingIt() {
        assertThatThrownBy(() -> SubscriptionOptions.DEFAULTS.withBufferSize(0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: bufferSize must be at least 1, got 0");
        assertThatThrownBy(() -> SubscriptionOptions.DEFAULTS.withPageSize(0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: pageSize must be at least 1, got 0");
    }

    @Test
    void aZeroNegativeOrMissingPollIntervalOrBackoffIsRejectedShowingIt() {
        assertThatThrownBy(() -> SubscriptionOptions.DEFAULTS.withPollInterval(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: pollInterval must be positive, got PT0S");
        assertThatThrownBy(() -> SubscriptionOptions.DEFAULTS.withPollInterval(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: pollInterval must be positive, got PT-0.001S");
        assertThatThrownBy(() -> SubscriptionOptions.DEFAULTS.withMaxRetryBackoff(null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: maxRetryBackoff must be positive, got null");
    }

    @Test
    void everyProblemOfSubscriptionOptionsIsReportedAtOnceInFieldOrder() {
        InvalidInputException error = catchThrowableOfType(
                InvalidInputException.class,
                () -> new SubscriptionOptions(null, 0, -1, Duration.ZERO, Duration.ofSeconds(-1)));

        assertThat(error.problems())
                .containsExactly(
                        "consistency must not be null",
                        "bufferSize must be at least 1, got 0",
                        "pageSize must be at least 1, got -1",
                        "pollInterval must be positive, got PT0S",
                        "maxRetryBackoff must be positive, got PT-1S");
    }

    @Test
    void copiesChangeOneFieldAndKeepTheOthers() {
        SubscriptionOptions options = SubscriptionOptions.DEFAULTS
                .withConsistency(Consistency.EVENTUAL)
                .withBufferSize(7)
                .withPageSize(3)
                .withPollInterval(Duration.ofMillis(20))
                .withMaxRetryBackoff(Duration.ofSeconds(1));

        assertThat(options)
                .isEqualTo(new SubscriptionOptions(
                        Consistency.EVENTUAL, 7, 3, Duration.ofMillis(20), Duration.ofSeconds(1)));
        assertThat(SubscriptionOptions.DEFAULTS.consistency()).isEqualTo(Consistency.STRONG);
    }
}
