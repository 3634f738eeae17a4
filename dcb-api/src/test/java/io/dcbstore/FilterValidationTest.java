package io.dcbstore;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Filter}: validation and normalisation. */
class FilterValidationTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final FilterItem LENT = FilterItem.types("BookLent");

    @Test
    void aFilterWithoutItemsIsRejectedPointingToMatchAll() {
        assertThatThrownBy(Filter::anyOf)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filter needs at least one item")
                .hasMessageContaining("Filter.matchAll()");
    }

    @Test
    void nullItemsAreRejected() {
        assertThatThrownBy(() -> Filter.anyOf((FilterItem[]) null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filter items must not be null");
        assertThatThrownBy(() -> new Filter(null, false, null, null, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Filter.anyOf(LENT, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filter item must not be null");
    }

    @Test
    void aMatchAllFilterWithItemsIsRejected() {
        assertThatThrownBy(() -> new Filter(List.of(LENT), true, null, null, 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a match-all filter cannot also have items");
    }

    @Test
    void occurredFromAfterOccurredUntilIsRejectedShowingBoth() {
        assertThatThrownBy(() ->
                        Filter.anyOf(LENT).occurredFrom(NOON.plusSeconds(1)).occurredUntil(NOON))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("occurredFrom 2024-05-01T12:00:01Z is after occurredUntil 2024-05-01T12:00:00Z");
    }

    @Test
    void occurredFromEqualToOccurredUntilIsAccepted() {
        Filter filter = Filter.anyOf(LENT).occurredFrom(NOON).occurredUntil(NOON);

        assertThat(filter.occurredFrom()).isEqualTo(filter.occurredUntil());
    }

    @Test
    void aNegativeSequenceNumberAfterIsRejectedShowingIt() {
        assertThatThrownBy(() -> Filter.matchAll().sequenceNumberAfter(-1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sequenceNumberAfter must not be negative, got -1");
    }

    @Test
    void everyProblemOfAFilterIsReportedAtOnce() {
        List<FilterItem> items = new ArrayList<>(Arrays.asList(LENT, null));

        InvalidInputException error = catchThrowableOfType(
                InvalidInputException.class, () -> new Filter(items, false, NOON, NOON.minusSeconds(1), -5));

        assertThat(error.problems()).hasSize(3);
        assertThat(error.problems().get(0)).isEqualTo("filter item must not be null");
        assertThat(error.problems().get(1)).contains("is after occurredUntil");
        assertThat(error.problems().get(2)).contains("got -5");
    }

    @Test
    void itemsAreDeduplicatedSortedAndCannotBeChanged() {
        FilterItem byBook = FilterItem.payload(eq("bookId", "b-1"));

        Filter filter =
                Filter.anyOf(LENT, byBook, FilterItem.types("BookLent"), FilterItem.payload(eq("bookId", "b-1")));

        assertThat(filter.items()).hasSize(2).contains(LENT, byBook);
        assertThatThrownBy(() -> filter.items().add(LENT)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copiesKeepTheItemsAndTheOtherRestrictions() {
        Filter filter =
                Filter.anyOf(LENT).sequenceNumberAfter(7).occurredFrom(NOON).occurredUntil(NOON.plusSeconds(5));

        assertThat(filter.items()).containsExactly(LENT);
        assertThat(filter.sequenceNumberAfter()).isEqualTo(7);
        assertThat(filter.occurredFrom()).isEqualTo(NOON);
        assertThat(filter.occurredUntil()).isEqualTo(NOON.plusSeconds(5));
        assertThat(filter.matchesEverything()).isFalse();
    }

    @Test
    void matchAllHasNoItemsAndNoRestrictions() {
        Filter all = Filter.matchAll();

        assertThat(all.matchesEverything()).isTrue();
        assertThat(all.items()).isEmpty();
        assertThat(all.occurredFrom()).isNull();
        assertThat(all.occurredUntil()).isNull();
        assertThat(all.sequenceNumberAfter()).isZero();
    }
}
