package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The immutable states that share their bulk between versions, checked against plain collections. */
class PersistentStatesTest {

    @Test
    void aLayeredMapBehavesLikeALinkedHashMapAndEveryVersionStaysAsItWas() {
        Random random = new Random(42);
        Map<String, Integer> model = new LinkedHashMap<>();
        LayeredMap<Integer> map = LayeredMap.empty();
        List<LayeredMap<Integer>> versions = new ArrayList<>();
        List<Map<String, Integer>> expected = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            LayeredMap.Editor<Integer> editor = map.edit();
            int changes = 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 4);
            for (int change = 0; change < changes; change++) {
                String key = "k" + random.nextInt(400);
                int dice = random.nextInt(10);
                if (dice < 5) {
                    assertThat(editor.put(key, step)).isEqualTo(model.put(key, step));
                } else if (dice < 8) {
                    assertThat(editor.remove(key)).isEqualTo(model.remove(key));
                } else {
                    assertThat(editor.computeIfPresent(key, (k, value) -> value % 2 == 0 ? null : value + 1))
                            .isEqualTo(model.computeIfPresent(key, (k, value) -> value % 2 == 0 ? null : value + 1));
                }
                assertThat(editor.get(key)).isEqualTo(model.get(key));
                assertThat(editor.size()).isEqualTo(model.size());
            }
            map = editor.build();
            assertSameInOrder(map, model);
            if (step % 100 == 0) {
                versions.add(map);
                expected.add(new LinkedHashMap<>(model));
            }
        }
        for (int index = 0; index < versions.size(); index++) {
            assertSameInOrder(versions.get(index), expected.get(index));
        }
    }

    @Test
    void aLayeredMapFindsEveryKeyWhenAllKeysShareOneHashCode() {
        List<String> colliding = new ArrayList<>(List.of(""));
        for (int block = 0; block < 8; block++) { // "Aa" and "BB" have the same hash code, so do all 256 concatenations
            List<String> longer = new ArrayList<>();
            for (String prefix : colliding) {
                longer.add(prefix + "Aa");
                longer.add(prefix + "BB");
            }
            colliding = longer;
        }
        Map<String, Integer> model = new LinkedHashMap<>();
        for (int index = 0; index < colliding.size(); index += 2) {
            model.put(colliding.get(index), index);
        }
        LayeredMap<Integer> map = LayeredMap.of(model);
        assertThat(colliding.stream().map(String::hashCode).distinct()).hasSize(1);
        for (int index = 0; index < colliding.size(); index++) {
            String key = colliding.get(index);
            assertThat(map.get(key)).as(key).isEqualTo(index % 2 == 0 ? index : null);
            assertThat(map.containsKey(key)).as(key).isEqualTo(index % 2 == 0);
        }
        assertThat(map.get(42)).isNull();
        LayeredMap.Editor<Integer> editor = map.edit();
        colliding.forEach(key -> editor.put(key, -1)); // grows past the fold threshold: a new base of all 256
        LayeredMap<Integer> folded = editor.build();
        assertThat(folded).hasSize(colliding.size());
        colliding.forEach(key -> assertThat(folded.get(key)).as(key).isEqualTo(-1));
        assertThat(folded.keySet())
                .containsExactlyElementsOf(Stream.concat(
                                model.keySet().stream(), colliding.stream().filter(key -> !model.containsKey(key)))
                        .toList());
    }

    /** An entry with a sort time and a flag that changes in place without moving it. */
    private record Entry(String id, Instant at, boolean flag) {}

    private static final Comparator<Entry> BY_TIME = Ordered.byTimeThenId(Entry::at, Entry::id);

    @Test
    void orderedValuesOfEveryLayeredMapVersionEqualAFullSortWhateverTheOrderOfTheChanges() {
        for (int jitter : new int[] {0, 3, 1_000_000}) { // log order, commits slightly out of order, any order
            Random random = new Random(11 + jitter);
            Map<String, Entry> model = new LinkedHashMap<>();
            LayeredMap<Entry> map = LayeredMap.empty();
            long clock = 0;
            for (int step = 0; step < 1500; step++) {
                LayeredMap.Editor<Entry> editor = map.edit();
                for (int change = 0; change < 1 + random.nextInt(random.nextInt(20) == 0 ? 400 : 5); change++) {
                    String key = "e" + random.nextInt(500);
                    int dice = random.nextInt(20);
                    if (dice < 9) { // (re)added now, give or take the jitter
                        Entry entry = new Entry(key, Instant.ofEpochMilli(++clock - random.nextInt(jitter + 1)), false);
                        editor.put(key, entry);
                        model.put(key, entry);
                    } else if (dice < 15) { // the flag flips in place: same time
                        editor.computeIfPresent(key, (k, e) -> new Entry(k, e.at(), !e.flag()));
                        model.computeIfPresent(key, (k, e) -> new Entry(k, e.at(), !e.flag()));
                    } else if (dice < 18) {
                        editor.remove(key);
                        model.remove(key);
                    } else { // changed in place to another time: its place in the order changes
                        Instant at = Instant.ofEpochMilli(random.nextInt((int) clock + 1));
                        editor.computeIfPresent(key, (k, e) -> new Entry(k, at, e.flag()));
                        model.computeIfPresent(key, (k, e) -> new Entry(k, at, e.flag()));
                    }
                }
                map = editor.build();
                List<Entry> expected = new ArrayList<>(model.values());
                expected.sort(BY_TIME);
                assertThat(Ordered.copyOf(map.values(), BY_TIME))
                        .as("jitter %d, step %d", jitter, step)
                        .containsExactlyElementsOf(expected);
                assertThat(map.values()).as("iteration order is unchanged").containsExactlyElementsOf(model.values());
            }
        }
    }

    @Test
    void anOrderedListIsImmutableAndIsNotCopiedAgainForTheSameOrder() {
        List<Entry> source = new ArrayList<>(List.of(
                new Entry("b", Instant.ofEpochMilli(2), false),
                new Entry("a", Instant.ofEpochMilli(2), false),
                new Entry("c", Instant.ofEpochMilli(1), true)));
        List<Entry> ordered = Ordered.copyOf(source, BY_TIME);
        source.clear();

        assertThat(ordered).extracting(Entry::id).containsExactly("c", "a", "b");
        assertThat(Ordered.copyOf(ordered, BY_TIME)).isSameAs(ordered);
        assertThatThrownBy(() -> ordered.add(new Entry("d", Instant.EPOCH, false)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ordered.set(0, new Entry("d", Instant.EPOCH, false)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void twoEditsOfOneLayeredMapVersionDoNotSeeEachOther() {
        LayeredMap<String> base = editOf(LayeredMap.empty(), "a", "b", "c");
        LayeredMap.Editor<String> left = base.edit();
        LayeredMap.Editor<String> right = base.edit();
        left.remove("a");
        left.put("d", "d");
        right.put("a", "A");

        assertThat(left.build()).containsExactly(Map.entry("b", "b"), Map.entry("c", "c"), Map.entry("d", "d"));
        assertThat(right.build()).containsExactly(Map.entry("a", "A"), Map.entry("b", "b"), Map.entry("c", "c"));
        assertThat(base).containsExactly(Map.entry("a", "a"), Map.entry("b", "b"), Map.entry("c", "c"));
    }

    @Test
    void aLayeredMapIsACopyOfAnyOtherMapAndRefusesNulls() {
        Map<String, Integer> source = new LinkedHashMap<>(Map.of("x", 1));
        LayeredMap<Integer> copy = LayeredMap.of(source);
        source.put("y", 2);

        assertThat(copy).isEqualTo(Map.of("x", 1)).hasSameHashCodeAs(Map.of("x", 1));
        assertThat(LayeredMap.of(copy)).isSameAs(copy);
        assertThatThrownBy(() -> copy.edit().put("z", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> copy.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anAppendOnlyListBehavesLikeAListAndBranchesDoNotSeeEachOther() {
        Random random = new Random(7);
        List<AppendOnlyList<Integer>> versions = new ArrayList<>(List.of(AppendOnlyList.empty()));
        List<List<Integer>> expected = new ArrayList<>(List.of(List.of()));
        for (int step = 0; step < 2000; step++) {
            int from = random.nextInt(10) == 0 ? random.nextInt(versions.size()) : versions.size() - 1;
            List<Integer> more = new ArrayList<>();
            for (int count = random.nextInt(5); count > 0; count--) {
                more.add(step * 10 + count);
            }
            versions.add(versions.get(from).plus(more));
            List<Integer> model = new ArrayList<>(expected.get(from));
            model.addAll(more);
            expected.add(model);
        }
        for (int index = 0; index < versions.size(); index++) {
            assertThat(versions.get(index)).as("version %d", index).isEqualTo(expected.get(index));
            assertThat(versions.get(index).toArray())
                    .isEqualTo(expected.get(index).toArray());
        }
        assertThat(AppendOnlyList.of(versions.get(5))).isSameAs(versions.get(5));
        assertThatThrownBy(() -> versions.get(5).add(1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anEditorShowsItsChangesThroughItsViewsBeforeItIsBuilt() {
        LayeredMap.Editor<String> editor =
                editOf(LayeredMap.empty(), "a", "b", "c").edit();
        editor.remove("b");
        editor.put("d", "D");
        editor.put("a", "A");

        assertThat(editor.containsKey("a")).isTrue();
        assertThat(editor.containsKey("b")).isFalse();
        assertThat(editor.containsKey("x")).isFalse();
        assertThat(editor.entrySet())
                .hasSize(3)
                .containsExactly(Map.entry("a", "A"), Map.entry("c", "c"), Map.entry("d", "D"));
    }

    @Test
    void removingEveryEntryOfAMapInOneEditPastTheFoldThresholdLeavesTheEmptyMap() {
        LayeredMap<String> map = editOf(LayeredMap.empty(), keys(40));
        LayeredMap.Editor<String> editor = map.edit();
        map.keySet().forEach(editor::remove);

        assertThat(editor.build()).isEmpty();
        assertThat(map).hasSize(40);
    }

    @Test
    void aFoldWhoseThreadCannotBeStartedHappensInPlace() {
        LayeredMap.Folds refusing = new LayeredMap.Folds(0, task -> {
            throw new RejectedExecutionException("no thread");
        });
        LayeredMap.Editor<String> editor = editOf(LayeredMap.empty(), "a", "b").edit();
        for (String key : keys(40)) {
            editor.put(key, key);
        }

        LayeredMap<String> built = editor.build(refusing);

        assertThat(built.layerSize()).isZero();
        assertThat(built).hasSize(42).containsEntry("a", "a").containsEntry("k39", "k39");
    }

    @Test
    void aBaseOfExactlyTheBackgroundSizeIsFoldedInTheBackgroundAndASmallerOneInPlace() {
        AtomicInteger started = new AtomicInteger();
        LayeredMap.Folds folds = new LayeredMap.Folds(100, task -> started.incrementAndGet());
        for (int baseSize : new int[] {100, 99}) {
            LayeredMap.Editor<String> editor =
                    editOf(LayeredMap.empty(), keys(baseSize)).edit();
            for (int change = 0; change < 33; change++) { // past the threshold of a base of 100: 32 changes
                editor.put("new" + change, "new");
            }
            started.set(0);

            LayeredMap<String> built = editor.build(folds);

            assertThat(started).as("base of %d", baseSize).hasValue(baseSize == 100 ? 1 : 0);
            assertThat(built.layerSize()).as("base of %d", baseSize).isEqualTo(baseSize == 100 ? 33 : 0);
            assertThat(built).hasSize(baseSize + 33);
        }
    }

    /** Counts its comparisons; each instance is an order of its own, as the bases tell orders apart by identity. */
    private static final class CountingOrder implements Comparator<Entry> {
        private final Comparator<Entry> order;
        int comparisons;

        CountingOrder(Comparator<Entry> order) {
            this.order = order;
        }

        @Override
        public int compare(Entry left, Entry right) {
            comparisons++;
            return order.compare(left, right);
        }
    }

    @Test
    void oneVersionAskedForTwoOrdersGivesEachItsOwnAndKeepsTheOrderAskedAboutLast() {
        Map<String, Entry> model = new LinkedHashMap<>();
        for (int index = 0; index < 20; index++) { // by id: e00, e01, ...; by time: e19, e18, ...
            String id = String.format("e%02d", index);
            model.put(id, new Entry(id, Instant.ofEpochMilli(100 - index), false));
        }
        LayeredMap<Entry> map = LayeredMap.of(model);
        CountingOrder byTime = new CountingOrder(BY_TIME);
        CountingOrder byId = new CountingOrder(Comparator.comparing(Entry::id));
        List<Entry> expectedByTime = model.values().stream().sorted(BY_TIME).toList();
        List<Entry> expectedById = List.copyOf(model.values());

        assertThat(map.valuesSortedBy(byTime)).containsExactlyElementsOf(expectedByTime);
        assertThat(map.valuesSortedBy(byId)).containsExactlyElementsOf(expectedById);
        assertThat(map.valuesSortedBy(byTime)).containsExactlyElementsOf(expectedByTime);
        byTime.comparisons = 0;
        assertThat(map.valuesSortedBy(byTime)).containsExactlyElementsOf(expectedByTime);
        assertThat(byTime.comparisons).as("the order asked about last is kept").isZero();
    }

    @Test
    void aFoldKeepsTheBasesOrderKnownSoTheFirstOrderedValuesOfTheFoldedVersionCompareNothing() {
        Map<String, Entry> model = new LinkedHashMap<>();
        for (int index = 0; index < 50; index++) {
            String id = "e" + index;
            model.put(id, new Entry(id, Instant.ofEpochMilli(index % 7), false));
        }
        CountingOrder order = new CountingOrder(BY_TIME);
        LayeredMap<Entry> map = LayeredMap.of(model);
        assertThat(Ordered.copyOf(map.values(), order)).hasSize(50); // the base's order is now known
        LayeredMap.Editor<Entry> editor = map.edit();
        for (int index = 50; index < 90; index++) { // past the threshold: folded in place
            String id = "e" + index;
            Entry entry = new Entry(id, Instant.ofEpochMilli(index % 11), false);
            editor.put(id, entry);
            model.put(id, entry);
        }
        LayeredMap<Entry> folded = editor.build();
        assertThat(folded.layerSize()).isZero();
        order.comparisons = 0;

        List<Entry> ordered = Ordered.copyOf(folded.values(), order);

        assertThat(ordered)
                .containsExactlyElementsOf(
                        model.values().stream().sorted(BY_TIME).toList());
        assertThat(order.comparisons).isZero();
    }

    @Test
    void resultsAreOrderedByTimeAndEntriesOfOneTimeById() {
        Comparator<Entry> byTimeThenId = Ordered.byTimeThenId(Entry::at, Entry::id);
        Entry late = new Entry("a", Instant.ofEpochMilli(2), false);
        Entry earlyB = new Entry("b", Instant.ofEpochMilli(1), false);
        Entry earlyC = new Entry("c", Instant.ofEpochMilli(1), true);

        assertThat(Ordered.copyOf(List.of(late, earlyC, earlyB), byTimeThenId)).containsExactly(earlyB, earlyC, late);
    }

    @Test
    void entriesAlreadyInOrderAreComparedOncePerNeighbourAndCopiedAsTheyAre() {
        List<Entry> inOrder = IntStream.range(0, 100)
                .mapToObj(index -> new Entry("e" + index, Instant.ofEpochMilli(index), false))
                .toList();
        CountingOrder order = new CountingOrder(BY_TIME);

        List<Entry> ordered = Ordered.copyOf(inOrder, order);
        Object[] array = ordered.toArray();
        array[0] = null;

        assertThat(order.comparisons).isEqualTo(99);
        assertThat(ordered).containsExactlyElementsOf(inOrder);
        assertThat(ordered.toArray()).containsExactlyElementsOf(inOrder);
    }

    private static String[] keys(int count) {
        return IntStream.range(0, count).mapToObj(index -> "k" + index).toArray(String[]::new);
    }

    private static void assertSameInOrder(LayeredMap<Integer> map, Map<String, Integer> model) {
        assertThat(map).isEqualTo(model);
        assertThat(map.size()).isEqualTo(model.size());
        assertThat(new ArrayList<>(map.entrySet())).containsExactlyElementsOf(model.entrySet());
        assertThat(map.values()).containsExactlyElementsOf(model.values());
        model.keySet().forEach(key -> assertThat(map.containsKey(key)).isTrue());
    }

    private static LayeredMap<String> editOf(LayeredMap<String> from, String... keys) {
        LayeredMap.Editor<String> editor = from.edit();
        for (String key : keys) {
            editor.put(key, key);
        }
        return editor.build();
    }
}
