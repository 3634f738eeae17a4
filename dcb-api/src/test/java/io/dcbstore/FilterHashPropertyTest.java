package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Filter#hash()} as a property: order and repetition never change it. */
class FilterHashPropertyTest {
    /** What an item is made of, before it is normalised by {@link FilterItem}. */
    record ItemSpec(List<String> types, FilterItem.Match match, List<PayloadPredicate> predicates) {
        FilterItem build(Random random, boolean repeat) {
            List<String> shuffledTypes = shuffledCopy(types, random, repeat);
            List<PayloadPredicate> shuffledPredicates = shuffledCopy(predicates, random, repeat);
            return new FilterItem(new LinkedHashSet<>(shuffledTypes), match, shuffledPredicates);
        }
    }

    @Property(tries = 500)
    void hashDoesNotDependOnTheOrderOrRepetitionOfItemsTypesAndPredicates(
            @ForAll("itemSpecs") List<ItemSpec> specs, @ForAll long seed) {
        Random random = new Random(seed);
        Filter original = filterOf(specs, new Random(0), false);

        Filter shuffled = filterOf(specs, random, true);

        assertThat(shuffled.hash()).isEqualTo(original.hash());
        assertThat(shuffled.items())
                .map(FilterItem::canonical)
                .containsExactlyElementsOf(
                        original.items().stream().map(FilterItem::canonical).toList());
    }

    @Property(tries = 200)
    void hashIsTheSameEveryTimeItIsComputed(@ForAll("itemSpecs") List<ItemSpec> specs) {
        Filter filter = filterOf(specs, new Random(1), false);

        assertThat(filter.hash())
                .isEqualTo(filter.hash())
                .isEqualTo(filterOf(specs, new Random(2), false).hash());
    }

    @Provide
    Arbitrary<List<ItemSpec>> itemSpecs() {
        Arbitrary<List<String>> types = Arbitraries.of("BookLent", "BookReturned", "Order.Placed", "x:y-z_1")
                .list()
                .ofMaxSize(3);
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.of("b-1", "b-2", "", "1", "ключ", "\"quoted\""),
                Arbitraries.longs().between(-3, 3),
                Arbitraries.of(true, false));
        Arbitrary<PayloadPredicate> predicates = Combinators.combine(
                        Arbitraries.of("bookId", "memberId", "a \"key\"", "ключ", "emoji\uD83D\uDE00"), values)
                .as(PayloadPredicate::eq);
        Arbitrary<ItemSpec> items = Combinators.combine(
                        types,
                        Arbitraries.of(FilterItem.Match.class),
                        predicates.list().ofMaxSize(4))
                .as(ItemSpec::new)
                .filter(spec -> !spec.types().isEmpty() || !spec.predicates().isEmpty());
        return items.list().ofMinSize(1).ofMaxSize(4);
    }

    private static Filter filterOf(List<ItemSpec> specs, Random random, boolean repeat) {
        List<FilterItem> items = new ArrayList<>();
        for (ItemSpec spec : specs) {
            items.add(spec.build(random, repeat));
        }
        return Filter.anyOf(shuffledCopy(items, random, repeat).toArray(FilterItem[]::new));
    }

    /** A shuffled copy; with {@code repeat}, some elements appear twice. */
    private static <T> List<T> shuffledCopy(List<T> values, Random random, boolean repeat) {
        List<T> copy = new ArrayList<>(values);
        if (repeat && !values.isEmpty()) {
            int extra = random.nextInt(values.size() + 1);
            for (int i = 0; i < extra; i++) {
                copy.add(values.get(random.nextInt(values.size())));
            }
            Collections.shuffle(copy, random);
        }
        return copy;
    }
}
