package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link AppendCondition}: validation. */
class AppendConditionTest {
    private static final Filter LENT = Filter.anyOf(FilterItem.types("BookLent"));

    @Test
    void aValidConditionKeepsItsFilterAndSequenceNumber() {
        AppendCondition condition = AppendCondition.of(LENT, 42);

        assertThat(condition.failIfEventsMatch()).isEqualTo(LENT);
        assertThat(condition.after()).isEqualTo(42);
        assertThat(AppendCondition.of(Filter.matchAll(), 0).after()).isZero();
    }

    @Test
    void aNullFilterIsRejected() {
        assertThatThrownBy(() -> AppendCondition.of(null, 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("append condition filter must not be null");
    }

    @Test
    void aNegativeAfterIsRejectedShowingIt() {
        assertThatThrownBy(() -> AppendCondition.of(LENT, -3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'after' must not be negative, got -3");
    }

    @Test
    void aFilterRestrictedByOccurredAtOrSequenceNumberIsRejected() {
        Instant noon = Instant.parse("2024-05-01T12:00:00Z");

        assertThatThrownBy(() -> AppendCondition.of(LENT.occurredFrom(noon), 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must not restrict occurred-at or sequence number");
        assertThatThrownBy(() -> AppendCondition.of(LENT.occurredUntil(noon), 0))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AppendCondition.of(LENT.sequenceNumberAfter(5), 0))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void everyProblemOfAConditionIsReportedAtOnce() {
        InvalidInputException error = catchThrowableOfType(
                InvalidInputException.class, () -> AppendCondition.of(LENT.sequenceNumberAfter(5), -1));

        assertThat(error.problems()).hasSize(2);
    }
}
