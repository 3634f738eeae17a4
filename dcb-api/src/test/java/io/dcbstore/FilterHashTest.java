package io.dcbstore;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link Filter#hash()}: same meaning gives the same hash, different meaning a different one. */
class FilterHashTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void hashIsSixtyFourLowercaseHexCharacters() {
        assertThat(Filter.anyOf(FilterItem.types("BookLent")).hash()).matches("[0-9a-f]{64}");
        assertThat(Filter.matchAll().hash()).matches("[0-9a-f]{64}");
    }

    /**
     * Snapshots are stored under their filter's hash, so a hash must not change between releases:
     * a store upgraded to a release that hashed differently would no longer find the snapshots
     * saved before, and every projection would rebuild from the first event.
     */
    @Test
    void hashOfAGivenFilterStaysTheSameAcrossReleasesBecauseStoredSnapshotsAreKeyedByIt() {
        Filter items = Filter.anyOf(
                        FilterItem.types("BookLent", "BookReturned").anyOf(eq("bookId", "b-1"), eq("copies", 2)),
                        FilterItem.payload(eq("active", true)))
                .occurredFrom(NOON)
                .occurredUntil(NOON.plusSeconds(3_600))
                .sequenceNumberAfter(42);

        assertThat(Filter.matchAll().hash())
                .isEqualTo("758d58aca9449fde7bae0a9262c8b80618a5b0357dd9fdc8c2d7315a9f3d6397");
        assertThat(items.hash()).isEqualTo("83aee232a01fe122fa25cebfb89771adc63d0c5e372637973858aa52ceff16c9");
    }

    @Test
    void itemsThatDifferOnlyInTheirOwnStartHashDifferentlyAndAStartsHashIsPinned() {
        Filter five = Filter.anyOf(FilterItem.types("A").after(5).allOf(eq("n", 1)));
        Filter seven = Filter.anyOf(FilterItem.types("A").after(7).allOf(eq("n", 1)));

        assertThat(five.hash()).isNotEqualTo(seven.hash());
        assertThat(five.hash()).isEqualTo("b6ab1cedb2fb4c4db86d1cb3433da2823eb22d7c8074ea2ba8239822678fcabb");
    }

    @Test
    void hashIsTheSameForTwoFiltersBuiltTheSameWay() {
        Filter first = Filter.anyOf(FilterItem.types("BookLent").allOf(eq("bookId", "b-1"), eq("copies", 2)));
        Filter second = Filter.anyOf(FilterItem.types("BookLent").allOf(eq("bookId", "b-1"), eq("copies", 2)));

        assertThat(first.hash()).isEqualTo(second.hash());
    }

    @Test
    void hashDoesNotDependOnTheOrderOfItems() {
        FilterItem lent = FilterItem.types("BookLent");
        FilterItem returned = FilterItem.payload(eq("bookId", "b-1"));

        assertThat(Filter.anyOf(lent, returned).hash())
                .isEqualTo(Filter.anyOf(returned, lent).hash());
    }

    @Test
    void hashDoesNotDependOnTheOrderOfPredicates() {
        Filter ab = Filter.anyOf(FilterItem.payload(eq("a", 1), eq("b", "x"), eq("c", true)));
        Filter ca = Filter.anyOf(FilterItem.payload(eq("c", true), eq("a", 1), eq("b", "x")));

        assertThat(ab.hash()).isEqualTo(ca.hash());
    }

    @Test
    void hashDoesNotDependOnTheOrderOfEventTypes() {
        assertThat(Filter.anyOf(FilterItem.types("A", "B", "C")).hash())
                .isEqualTo(Filter.anyOf(FilterItem.types("C", "A", "B")).hash());
    }

    @Test
    void hashIgnoresDuplicateItemsPredicatesAndTypes() {
        Filter plain = Filter.anyOf(FilterItem.types("A").allOf(eq("k", 1), eq("j", 2)));
        Filter repeated = Filter.anyOf(
                FilterItem.types("A", "A").allOf(eq("k", 1), eq("j", 2), eq("k", 1)),
                FilterItem.types("A").allOf(eq("j", 2), eq("k", 1)));

        assertThat(repeated.hash()).isEqualTo(plain.hash());
    }

    @Test
    void hashIsTheSameForNumbersThatAreEqualAsJson() {
        Filter integer = Filter.anyOf(FilterItem.payload(eq("n", 1)));
        Filter decimal = Filter.anyOf(FilterItem.payload(eq("n", 1.0)));
        Filter padded = Filter.anyOf(FilterItem.payload(eq("n", new BigDecimal("1.000"))));

        assertThat(decimal.hash()).isEqualTo(integer.hash());
        assertThat(padded.hash()).isEqualTo(integer.hash());
    }

    @Test
    void hashDiffersWhenEventTypesDiffer() {
        assertThat(Filter.anyOf(FilterItem.types("A")).hash())
                .isNotEqualTo(Filter.anyOf(FilterItem.types("B")).hash())
                .isNotEqualTo(Filter.anyOf(FilterItem.types("A", "B")).hash());
    }

    @Test
    void hashDiffersWhenAPredicateValueDiffers() {
        assertThat(Filter.anyOf(FilterItem.payload(eq("bookId", "b-1"))).hash())
                .isNotEqualTo(
                        Filter.anyOf(FilterItem.payload(eq("bookId", "b-2"))).hash());
    }

    @Test
    void hashDiffersWhenAPredicateKeyDiffers() {
        assertThat(Filter.anyOf(FilterItem.payload(eq("bookId", "b-1"))).hash())
                .isNotEqualTo(
                        Filter.anyOf(FilterItem.payload(eq("memberId", "b-1"))).hash());
    }

    @Test
    void hashDiffersBetweenTheStringOneTheNumberOneAndTheBooleanTrue() {
        String text = Filter.anyOf(FilterItem.payload(eq("v", "1"))).hash();
        String number = Filter.anyOf(FilterItem.payload(eq("v", 1))).hash();
        String textTrue = Filter.anyOf(FilterItem.payload(eq("v", "true"))).hash();
        String booleanTrue = Filter.anyOf(FilterItem.payload(eq("v", true))).hash();

        assertThat(text).isNotEqualTo(number);
        assertThat(textTrue).isNotEqualTo(booleanTrue);
    }

    @Test
    void hashDiffersBetweenAllOfAndAnyOfWithTwoPredicates() {
        FilterItem allOf = FilterItem.types("A").allOf(eq("a", 1), eq("b", 2));
        FilterItem anyOf = FilterItem.types("A").anyOf(eq("a", 1), eq("b", 2));

        assertThat(Filter.anyOf(allOf).hash()).isNotEqualTo(Filter.anyOf(anyOf).hash());
    }

    @Test
    void hashIsTheSameForAllOfAndAnyOfWithASinglePredicateBecauseTheyMeanTheSame() {
        FilterItem allOf = FilterItem.types("A").allOf(eq("a", 1));
        FilterItem anyOf = FilterItem.types("A").anyOf(eq("a", 1));

        assertThat(Filter.anyOf(anyOf).hash()).isEqualTo(Filter.anyOf(allOf).hash());
    }

    @Test
    void hashIsTheSameForAnyOfWithARepeatedPredicateAndAllOfWithItOnce() {
        FilterItem anyOfRepeated = FilterItem.types("A").anyOf(eq("a", 1), eq("a", 1.0));
        FilterItem allOfOnce = FilterItem.types("A").allOf(eq("a", 1));

        assertThat(Filter.anyOf(anyOfRepeated).hash())
                .isEqualTo(Filter.anyOf(allOfOnce).hash());
    }

    @Test
    void hashDiffersBetweenTwoPredicatesInOneItemAndTheSamePredicatesInTwoItems() {
        Filter both = Filter.anyOf(FilterItem.payload(eq("a", 1), eq("b", 2)));
        Filter either = Filter.anyOf(FilterItem.payload(eq("a", 1)), FilterItem.payload(eq("b", 2)));

        assertThat(both.hash()).isNotEqualTo(either.hash());
    }

    @Test
    void hashDiffersBetweenATypeAndAPredicateInOneItemAndInTwoItems() {
        Filter both = Filter.anyOf(FilterItem.types("A").allOf(eq("a", 1)));
        Filter either = Filter.anyOf(FilterItem.types("A"), FilterItem.payload(eq("a", 1)));

        assertThat(both.hash()).isNotEqualTo(either.hash());
    }

    @Test
    void hashDiffersWhenTheOccurredFromBoundDiffers() {
        Filter filter = Filter.anyOf(FilterItem.types("A"));

        assertThat(filter.occurredFrom(NOON).hash())
                .isNotEqualTo(filter.hash())
                .isNotEqualTo(filter.occurredFrom(NOON.plusMillis(1)).hash())
                .isNotEqualTo(filter.occurredUntil(NOON).hash());
    }

    @Test
    void hashDiffersWhenTheOccurredUntilBoundDiffers() {
        Filter filter = Filter.anyOf(FilterItem.types("A"));

        assertThat(filter.occurredUntil(NOON).hash())
                .isNotEqualTo(filter.hash())
                .isNotEqualTo(filter.occurredUntil(NOON.plusNanos(1_000)).hash());
    }

    @Test
    void hashDiffersWhenSequenceNumberAfterDiffers() {
        Filter filter = Filter.anyOf(FilterItem.types("A"));

        assertThat(filter.sequenceNumberAfter(5).hash())
                .isNotEqualTo(filter.hash())
                .isNotEqualTo(filter.sequenceNumberAfter(6).hash());
    }

    @Test
    void hashOfMatchAllDiffersFromFiltersWithItemsAndFromARestrictedMatchAll() {
        String all = Filter.matchAll().hash();

        assertThat(all).isNotEqualTo(Filter.anyOf(FilterItem.types("A")).hash());
        assertThat(all).isNotEqualTo(Filter.matchAll().sequenceNumberAfter(1).hash());
        assertThat(all).isEqualTo(Filter.matchAll().hash());
    }

    @Test
    void hashDiffersForItemsThatDifferOnlyWhereAKeyOrValueContainsTheSeparatorCharacter() {
        FilterItem valueHoldsSeparator = FilterItem.payload(eq("a", "x\u0001y"), eq("z", "v"));
        FilterItem keyHoldsSeparator = FilterItem.payload(eq("a", "x"), eq("y\u0001z", "v"));

        assertThat(Filter.anyOf(valueHoldsSeparator).hash())
                .isNotEqualTo(Filter.anyOf(keyHoldsSeparator).hash());
    }

    @Test
    void filterKeepsTwoDifferentItemsEvenWhenTheirKeysAndValuesContainTheSeparatorCharacter() {
        FilterItem valueHoldsSeparator = FilterItem.payload(eq("a", "x\u0001y"), eq("z", "v"));
        FilterItem keyHoldsSeparator = FilterItem.payload(eq("a", "x"), eq("y\u0001z", "v"));

        Filter filter = Filter.anyOf(valueHoldsSeparator, keyHoldsSeparator);

        assertThat(filter.items()).hasSize(2);
    }
}
