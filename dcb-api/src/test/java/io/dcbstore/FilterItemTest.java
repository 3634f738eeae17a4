package io.dcbstore;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link FilterItem}: validation and normalisation. */
class FilterItemTest {

    @Test
    void nullComponentsAreRejected() {
        assertThatThrownBy(() -> new FilterItem(null, FilterItem.Match.ALL_OF, List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must not be null");
        assertThatThrownBy(() -> new FilterItem(Set.of("A"), null, List.of()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new FilterItem(Set.of("A"), FilterItem.Match.ALL_OF, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anItemWithNeitherTypesNorPredicatesIsRejectedPointingToMatchAll() {
        assertThatThrownBy(() -> new FilterItem(Set.of(), FilterItem.Match.ANY_OF, List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("would match every event")
                .hasMessageContaining("Filter.matchAll()");
        assertThatThrownBy(FilterItem::types).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(FilterItem::payload).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anInvalidEventTypeIsRejectedNamingIt() {
        assertThatThrownBy(() -> FilterItem.types("Good", "no good"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filter item: event type 'no good' must match");
    }

    @Test
    void nullTypesAndPredicatesGivenToTheFactoriesAreRejected() {
        assertThatThrownBy(() -> FilterItem.types("A", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("null values are not allowed");
        assertThatThrownBy(() -> FilterItem.types((String[]) null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> FilterItem.payload((PayloadPredicate[]) null))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> FilterItem.types("A").anyOf(eq("a", 1), null))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> FilterItem.types("A").allOf((PayloadPredicate[]) null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void everyProblemOfAnItemIsReportedAtOnce() {
        Set<String> types = new HashSet<>(Arrays.asList("", "9lives", "Fine"));
        List<PayloadPredicate> predicates = new ArrayList<>(Arrays.asList(eq("a", 1), null));

        InvalidInputException error = catchThrowableOfType(
                InvalidInputException.class, () -> new FilterItem(types, FilterItem.Match.ALL_OF, predicates));

        assertThat(error.problems())
                .hasSize(3)
                .contains(
                        "filter item: event type must not be null or empty",
                        "filter item: payload predicate must not be null");
        assertThat(error.problems()).anyMatch(problem -> problem.contains("'9lives'"));
    }

    @Test
    void typesArePutInOrderWithoutDuplicatesAndCannotBeChanged() {
        FilterItem item = FilterItem.types("C", "A", "B", "A");

        assertThat(item.eventTypes()).containsExactly("A", "B", "C");
        assertThatThrownBy(() -> item.eventTypes().add("D")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void predicatesArePutInOrderWithoutDuplicatesAndCannotBeChanged() {
        FilterItem item = FilterItem.payload(eq("b", 2), eq("a", 1), eq("b", 2.0));

        assertThat(item.predicates()).extracting(PayloadPredicate::key).containsExactly("a", "b");
        assertThatThrownBy(() -> item.predicates().add(eq("c", 3))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theItemDoesNotChangeWhenTheCallersCollectionsChange() {
        Set<String> types = new HashSet<>(Set.of("A"));
        List<PayloadPredicate> predicates = new ArrayList<>(List.of(eq("a", 1)));
        FilterItem item = new FilterItem(types, FilterItem.Match.ALL_OF, predicates);

        types.add("B");
        predicates.add(eq("b", 2));

        assertThat(item.eventTypes()).containsExactly("A");
        assertThat(item.predicates()).hasSize(1);
    }

    @Test
    void allOfAndAnyOfKeepTheTypesAndSetTheMatch() {
        FilterItem base = FilterItem.types("A", "B");

        FilterItem anyOf = base.anyOf(eq("x", 1), eq("y", 2));
        FilterItem allOf = anyOf.allOf(eq("z", 3));

        assertThat(anyOf.eventTypes()).containsExactly("A", "B");
        assertThat(anyOf.match()).isEqualTo(FilterItem.Match.ANY_OF);
        assertThat(allOf.match()).isEqualTo(FilterItem.Match.ALL_OF);
        assertThat(allOf.predicates()).containsExactly(eq("z", 3));
    }

    @Test
    void aPayloadItemAcceptsAnyType() {
        FilterItem item = FilterItem.payload(eq("a", 1));

        assertThat(item.eventTypes()).isEmpty();
        assertThat(item.match()).isEqualTo(FilterItem.Match.ALL_OF);
    }

    @Test
    void oneMatchIsKeptForItemsWithOnePredicateOrNoneAsBothMatchAlike() {
        FilterItem anyOfOne = FilterItem.types("A").anyOf(eq("x", 1));
        FilterItem anyOfNone = new FilterItem(Set.of("A"), FilterItem.Match.ANY_OF, List.of());
        FilterItem anyOfOneGivenTwice = FilterItem.types("A").anyOf(eq("x", 1), eq("x", 1.0));

        assertThat(anyOfOne).isEqualTo(FilterItem.types("A").allOf(eq("x", 1)));
        assertThat(anyOfOne.match()).isEqualTo(FilterItem.Match.ALL_OF);
        assertThat(anyOfNone).isEqualTo(FilterItem.types("A"));
        assertThat(anyOfOneGivenTwice).isEqualTo(anyOfOne);
        assertThat(FilterItem.types("A").anyOf(eq("x", 1), eq("y", 1)).match()).isEqualTo(FilterItem.Match.ANY_OF);
    }

    @Test
    void filtersGivenTheSameItemsSpelledDifferentlyInAnotherOrderAreEqualAndHashAlike() {
        Filter given = Filter.anyOf(
                FilterItem.types("A").anyOf(eq("n", 1)), FilterItem.types("A").allOf(eq("n", 1.0)));
        Filter reversed = Filter.anyOf(
                FilterItem.types("A").allOf(eq("n", 1.0)), FilterItem.types("A").anyOf(eq("n", 1)));

        assertThat(given).isEqualTo(reversed).hasSameHashCodeAs(reversed);
        assertThat(given.hash()).isEqualTo(reversed.hash());
        assertThat(given.items()).hasSize(1);
    }

    @Test
    void anItemsOwnStartIsKeptByAllOfAndAnyOfAndMakesItADifferentItem() {
        FilterItem whole = FilterItem.types("A").allOf(eq("n", 1));
        FilterItem later = FilterItem.types("A").after(7).allOf(eq("n", 1));

        assertThat(whole.sequenceNumberAfter()).isZero();
        assertThat(later.sequenceNumberAfter()).isEqualTo(7);
        assertThat(FilterItem.types("A").after(7).anyOf(eq("n", 1), eq("n", 2)).sequenceNumberAfter())
                .isEqualTo(7);
        assertThat(later).isNotEqualTo(whole).isEqualTo(whole.after(7));
        assertThat(Filter.anyOf(whole, later).items()).hasSize(2);
        assertThat(Filter.anyOf(later).hash()).isNotEqualTo(Filter.anyOf(whole).hash());
        assertThat(Filter.anyOf(whole.after(0)).hash())
                .isEqualTo(Filter.anyOf(whole).hash());
    }

    @Test
    void aNegativeStartIsRejected() {
        assertThatThrownBy(() -> FilterItem.types("A").after(-1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sequenceNumberAfter must not be negative, got -1");
    }
}
