package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Occurred-at ranges in microseconds, the precision the store keeps (it truncates an event's
 * occurred-at when appending): bounds are truncated when the filter is made, and the in-memory
 * match truncates the event's time, so that memory and store agree below a microsecond.
 */
class FilterTimeRangeTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final Instant ONE_MICROSECOND_PAST = NOON.plusNanos(1_000);

    private static StoredEvent eventAt(Instant occurredAt) {
        return new StoredEvent(1, "BookLent", "{}", "{}", occurredAt);
    }

    @Test
    void boundsBelowAMicrosecondAreTruncatedToTheMicrosecond() {
        Filter filter = Filter.matchAll().occurredFrom(NOON.plusNanos(1_999)).occurredUntil(NOON.plusNanos(2_500));

        assertThat(filter.occurredFrom()).isEqualTo(NOON.plusNanos(1_000));
        assertThat(filter.occurredUntil()).isEqualTo(NOON.plusNanos(2_000));
    }

    @Test
    void boundsBeforeTheEpochAreTruncatedTowardsThePastLikeTheEventsTheStoreKeeps() {
        Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999999500Z");

        assertThat(Filter.matchAll().occurredUntil(beforeEpoch).occurredUntil())
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }

    @Test
    void filtersWhoseBoundsDifferOnlyBelowAMicrosecondAreEqualAndHashAlike() {
        Filter oneNanosecond = Filter.matchAll().occurredUntil(NOON.plusNanos(1));
        Filter nineHundredNanoseconds = Filter.matchAll().occurredUntil(NOON.plusNanos(999));

        assertThat(oneNanosecond).isEqualTo(nineHundredNanoseconds);
        assertThat(oneNanosecond.hash()).isEqualTo(nineHundredNanoseconds.hash());
    }

    @Test
    void anEventHalfAMicrosecondPastTheEndOfARangeIsInItWhenTheEndIsOnTheSameMicrosecond() {
        Filter endingOneMicrosecondPast = Filter.matchAll().occurredUntil(ONE_MICROSECOND_PAST);

        assertThat(endingOneMicrosecondPast.matches(eventAt(NOON.plusNanos(500))))
                .isTrue();
        assertThat(endingOneMicrosecondPast.matches(eventAt(ONE_MICROSECOND_PAST.plusNanos(500))))
                .isTrue();
        assertThat(endingOneMicrosecondPast.matches(eventAt(NOON.plusNanos(2_000))))
                .isFalse();
    }

    @Test
    void aRangeEndingHalfAMicrosecondPastAnInstantEndsAtThatInstant() {
        Filter endingHalfAMicrosecondPast = Filter.matchAll().occurredUntil(NOON.plusNanos(500));

        assertThat(endingHalfAMicrosecondPast.matches(eventAt(NOON))).isTrue();
        assertThat(endingHalfAMicrosecondPast.matches(eventAt(NOON.plusNanos(999))))
                .isTrue();
        assertThat(endingHalfAMicrosecondPast.matches(eventAt(ONE_MICROSECOND_PAST)))
                .isFalse();
    }

    @Test
    void aRangeStartingHalfAMicrosecondPastAnInstantStartsAtThatInstant() {
        Filter startingHalfAMicrosecondPast = Filter.matchAll().occurredFrom(NOON.plusNanos(500));

        assertThat(startingHalfAMicrosecondPast.matches(eventAt(NOON))).isTrue();
        assertThat(startingHalfAMicrosecondPast.matches(eventAt(NOON.minusNanos(1))))
                .isFalse();
        assertThat(startingHalfAMicrosecondPast.matches(eventAt(ONE_MICROSECOND_PAST)))
                .isTrue();
    }

    @Test
    void aRangeWhoseBoundsShareAMicrosecondMatchesEveryEventOfThatMicrosecondWhicheverBoundIsLater() {
        Filter withinOneMicrosecond =
                Filter.matchAll().occurredFrom(NOON.plusNanos(900)).occurredUntil(NOON.plusNanos(100));

        assertThat(withinOneMicrosecond.matches(eventAt(NOON))).isTrue();
        assertThat(withinOneMicrosecond.matches(eventAt(NOON.plusNanos(999)))).isTrue();
        assertThat(withinOneMicrosecond.matches(eventAt(ONE_MICROSECOND_PAST))).isFalse();
    }

    @Test
    void fromAfterUntilIsRefusedWhenTheyAreInDifferentMicroseconds() {
        assertThatThrownBy(() ->
                        Filter.matchAll().occurredFrom(ONE_MICROSECOND_PAST).occurredUntil(NOON.plusNanos(999)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is after occurredUntil");
    }
}
