package io.dcbstore.postgres.internal;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shape of a filter's SQL condition: what is written, which values are bound, and whether a
 * generic plan is safe (only for filters that every item narrows by payload and nothing bounds).
 */
class WhereClauseTest {
    private static final FilterItem BOOK = FilterItem.types("Lent").allOf(eq("BookID", "b-1"));
    private static final Instant NOON = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void aFilterWhoseEveryItemHasPredicatesAndNoRangeMayUseAGenericPlan() {
        assertThat(WhereClause.of(Filter.anyOf(BOOK), true).genericPlanIsSafe()).isTrue();
        assertThat(WhereClause.of(Filter.anyOf(BOOK, FilterItem.payload(eq("ReaderID", "r"))), true)
                        .genericPlanIsSafe())
                .isTrue();
    }

    @Test
    void anItemWithoutPredicatesOrAMatchAllFilterKeepsCustomPlans() {
        assertThat(WhereClause.of(Filter.anyOf(BOOK, FilterItem.types("Other")), true)
                        .genericPlanIsSafe())
                .isFalse();
        assertThat(WhereClause.of(Filter.matchAll(), true).genericPlanIsSafe()).isFalse();
    }

    @Test
    void eachRangeKeepsCustomPlansWhenWrittenAndNotWhenLeftOut() {
        for (Filter ranged : List.of(
                Filter.anyOf(BOOK).occurredFrom(NOON),
                Filter.anyOf(BOOK).occurredUntil(NOON),
                Filter.anyOf(BOOK).sequenceNumberAfter(1))) {
            assertThat(WhereClause.of(ranged, true).genericPlanIsSafe())
                    .as(ranged.toString())
                    .isFalse();
            // an append condition ignores the filter's ranges, so they do not decide its plan
            assertThat(WhereClause.of(ranged, false).genericPlanIsSafe())
                    .as(ranged.toString())
                    .isTrue();
            assertThat(WhereClause.of(ranged, false).sql()).doesNotContain("occurred_at", "sequence_number");
        }
        // an item's own start is part of the item, in conditions too
        WhereClause itemStart = WhereClause.of(Filter.anyOf(BOOK.after(1)), false);
        assertThat(itemStart.genericPlanIsSafe()).isFalse();
        assertThat(itemStart.sql()).contains("sequence_number > ?");
        assertThat(itemStart.params()).contains(1L);
    }

    @Test
    void aStartOfZeroWritesNoSequenceCondition() {
        assertThat(WhereClause.of(Filter.anyOf(BOOK).sequenceNumberAfter(0), true)
                        .sql())
                .doesNotContain("sequence_number");
        assertThat(WhereClause.of(Filter.anyOf(BOOK.after(0)), true).sql()).doesNotContain("sequence_number");
    }

    @Test
    void twoValuesOfOneKeyGoToTwoDocumentsSoThatBothMustHold() {
        WhereClause where = WhereClause.of(Filter.anyOf(FilterItem.types("A").allOf(eq("k", 1), eq("k", 2))), true);

        assertThat(where.sql()).containsOnlyOnce("event_type").contains("payload @> ?::jsonb AND payload @> ?::jsonb");
        assertThat(where.params()).contains("{\"k\":1}", "{\"k\":2}");
    }

    @Test
    void anIndexedKeyWithAStringValueIsAlsoWrittenAsTheIndexExpressionAndOthersAreNot() {
        Filter filter = Filter.anyOf(
                FilterItem.types("A").allOf(eq("BookID", "b-1"), eq("Count", 3)),
                FilterItem.types("B").anyOf(eq("BookID", "b-2"), eq("BookID", "b-3")));

        WhereClause keyed = WhereClause.of(filter, true, List.of("BookID", "Count"));

        // the ALL_OF string predicate only: a number's text form differs (1 vs 1.0), and an
        // ANY_OF item's alternatives are OR-ed
        assertThat(keyed.sql())
                .containsOnlyOnce("left(payload ->> 'BookID', 200) = left(?, 200)")
                .doesNotContain("'Count'");
        assertThat(keyed.params()).containsOnlyOnce("b-1");
        assertThat(WhereClause.of(filter, true).sql()).doesNotContain("->>");
        // the check bounds by position only when every item goes through a key's index
        assertThat(keyed.keyBounded()).isFalse();
        assertThat(WhereClause.of(
                                Filter.anyOf(FilterItem.types("A").allOf(eq("BookID", "b-1"))),
                                false,
                                List.of("BookID"))
                        .keyBounded())
                .isTrue();
        assertThat(WhereClause.of(Filter.anyOf(FilterItem.types("A").allOf(eq("BookID", "b-1"))), false)
                        .keyBounded())
                .isFalse();
        assertThat(WhereClause.of(Filter.matchAll(), false, List.of("BookID")).keyBounded())
                .isFalse();
    }
}
