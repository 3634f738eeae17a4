package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
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
import net.jqwik.api.statistics.Statistics;

/**
 * {@link Filter#hash()} as a property: order and repetition never change it, and filters are equal
 * exactly when their hashes are, however their parts were spelled.
 */
class FilterHashPropertyTest {
    /** What an item is made of, before it is normalised by {@link FilterItem}. */
    record ItemSpec(List<String> types, FilterItem.Match match, List<PayloadPredicate> predicates) {
        FilterItem inGivenOrder() {
            return new FilterItem(new LinkedHashSet<>(types), match, predicates);
        }

        /** Types and predicates shuffled by {@code random}, some of them given twice. */
        FilterItem shuffled(Random random, Order order) {
            List<String> shuffledTypes = shuffledCopy(types, random);
            List<PayloadPredicate> shuffledPredicates = shuffledCopy(predicates, random);
            order.note(types, shuffledTypes);
            order.note(predicates, shuffledPredicates);
            return new FilterItem(new LinkedHashSet<>(shuffledTypes), match, shuffledPredicates);
        }
    }

    /** Whether any shuffle of a try gave its elements in another order than the original. */
    static final class Order {
        private boolean changed;

        <T> void note(List<T> original, List<T> shuffled) {
            List<T> firstOccurrences = new ArrayList<>(new LinkedHashSet<>(shuffled));
            changed |= !firstOccurrences.equals(new ArrayList<>(new LinkedHashSet<>(original)))
                    || shuffled.size() != original.size();
        }
    }

    @Property(tries = 500)
    void hashDoesNotDependOnTheOrderOrRepetitionOfItemsTypesAndPredicates(
            @ForAll("itemSpecs") List<ItemSpec> specs, @ForAll long seed) {
        Filter original = filterInGivenOrder(specs);
        Random random = new Random(seed);
        Order order = new Order();
        List<FilterItem> items = new ArrayList<>();
        for (ItemSpec spec : specs) {
            items.add(spec.shuffled(random, order));
        }
        List<FilterItem> shuffledItems = shuffledCopy(items, random);
        order.note(items, shuffledItems);

        Filter shuffled = Filter.anyOf(shuffledItems.toArray(FilterItem[]::new));

        // The premise: most tries really give the parts in another order or repeat some.
        Statistics.label("order or repetition changed").collect(order.changed);
        Statistics.label("order or repetition changed")
                .coverage(coverage -> coverage.check(true).percentage(percentage -> percentage > 60));
        assertThat(shuffled.hash()).isEqualTo(original.hash());
        assertThat(shuffled).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(shuffled.items())
                .map(FilterItem::canonical)
                .containsExactlyElementsOf(
                        original.items().stream().map(FilterItem::canonical).toList());
    }

    @Property(tries = 200)
    void hashIsTheSameEveryTimeItIsComputedAndForEveryFilterBuiltTheSameWay(@ForAll("itemSpecs") List<ItemSpec> specs) {
        Filter filter = filterInGivenOrder(specs);
        Filter again = filterInGivenOrder(specs);

        assertThat(filter.hash()).isEqualTo(filter.hash()).isEqualTo(again.hash());
    }

    @Property(tries = 500)
    void filtersAreEqualExactlyWhenTheirHashesAreWhateverOrderAndSpellingTheirPartsWereGivenIn(
            @ForAll("itemSpecs") List<ItemSpec> first,
            @ForAll("itemSpecs") List<ItemSpec> second,
            @ForAll boolean sameParts,
            @ForAll long seed) {
        Random random = new Random(seed);
        Filter one = filterInGivenOrder(first);
        Filter other = respelled(sameParts ? first : second, random);

        boolean sameHash = one.hash().equals(other.hash());
        Statistics.label("same hash").collect(sameHash);
        Statistics.label("same hash").coverage(coverage -> {
            coverage.check(true).percentage(percentage -> percentage > 40);
            coverage.check(false).percentage(percentage -> percentage > 20);
        });
        assertThat(one.equals(other)).as("%s equals %s", one, other).isEqualTo(sameHash);
        assertThat(other.equals(one)).isEqualTo(sameHash);
        if (sameHash) {
            assertThat(other.hashCode()).isEqualTo(one.hashCode());
            assertThat(other).hasToString(one.toString());
        }
    }

    /** @return the filter of these items, each with its parts in the order given */
    private static Filter filterInGivenOrder(List<ItemSpec> specs) {
        return Filter.anyOf(specs.stream().map(ItemSpec::inGivenOrder).toArray(FilterItem[]::new));
    }

    /**
     * The same parts, shuffled, some given twice, every number spelled another way (trailing
     * zeros, an exponent, a double, a {@link BigInteger}), the match of an item with one distinct
     * predicate flipped.
     */
    private static Filter respelled(List<ItemSpec> specs, Random random) {
        List<FilterItem> items = new ArrayList<>();
        for (ItemSpec spec : specs) {
            List<PayloadPredicate> predicates = shuffledCopy(spec.predicates(), random).stream()
                    .map(predicate -> respelled(predicate, random))
                    .toList();
            long distinct = spec.predicates().stream()
                    .map(PayloadPredicate::canonical)
                    .distinct()
                    .count();
            FilterItem.Match match = distinct <= 1 && random.nextBoolean()
                    ? (spec.match() == FilterItem.Match.ALL_OF ? FilterItem.Match.ANY_OF : FilterItem.Match.ALL_OF)
                    : spec.match();
            items.add(new FilterItem(new LinkedHashSet<>(shuffledCopy(spec.types(), random)), match, predicates));
        }
        return Filter.anyOf(shuffledCopy(items, random).toArray(FilterItem[]::new));
    }

    private static PayloadPredicate respelled(PayloadPredicate predicate, Random random) {
        if (!(predicate.value() instanceof BigDecimal number)) {
            return predicate;
        }
        Object spelling = switch (random.nextInt(4)) {
            case 0 -> number.setScale(number.scale() + 1 + random.nextInt(3));
            case 1 ->
                number.signum() == 0
                        ? new BigDecimal(BigInteger.ZERO, -1 - random.nextInt(3))
                        : number.stripTrailingZeros();
            case 2 -> number.doubleValue();
            default -> number.scale() <= 0 ? number.toBigIntegerExact() : number.toPlainString() + "0";
        };
        if (spelling instanceof String written) {
            spelling = new BigDecimal(written);
        }
        return PayloadPredicate.eq(predicate.key(), spelling);
    }

    @Provide
    Arbitrary<List<ItemSpec>> itemSpecs() {
        Arbitrary<List<String>> types = Arbitraries.of("BookLent", "BookReturned", "Order.Placed", "x:y-z_1")
                .list()
                .ofMaxSize(3);
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.of("b-1", "b-2", "", "1", "ключ", "\"quoted\""),
                Arbitraries.longs().between(-3, 3),
                Arbitraries.of(new BigDecimal("0.5"), new BigDecimal("-1.25"), BigDecimal.valueOf(100)),
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

    /** A copy in an order {@code random} chooses, with up to as many extra repeats as elements. */
    private static <T> List<T> shuffledCopy(List<T> values, Random random) {
        List<T> copy = new ArrayList<>(values);
        if (!values.isEmpty()) {
            int extra = random.nextInt(values.size() + 1);
            for (int i = 0; i < extra; i++) {
                copy.add(values.get(random.nextInt(values.size())));
            }
        }
        Collections.shuffle(copy, random);
        return copy;
    }
}
