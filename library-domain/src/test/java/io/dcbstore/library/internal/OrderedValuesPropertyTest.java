package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ordered values of a {@link LayeredMap} version ({@link Ordered#copyOf} on its values) are a
 * view that merges the base's order with the change layer as it is read; element by element, it is
 * the plain sort of the version's values, whatever the base and the changes, and it stays so when
 * later versions are built.
 */
class OrderedValuesPropertyTest {
    /** An entry with a sort time (few distinct ones, so ties are broken by id) and a flag that changes in place. */
    private record Entry(String id, Instant at, boolean flag) {}

    private static final Comparator<Entry> ORDER = Ordered.byTimeThenId(Entry::at, Entry::id);

    /** One change to the version being edited; keys are picked by index modulo the candidates. */
    private sealed interface Change {}

    /** A new key. */
    private record PutNew(int time) implements Change {}

    /** An existing entry changed in place, keeping its place in the order. */
    private record Flip(int key) implements Change {}

    /** An existing entry changed in place to another time: its place in the order changes (or, by chance, not). */
    private record Retime(int key, int time) implements Change {}

    private record Remove(int key) implements Change {}

    /** An existing entry removed and put again, at the same time or another one. */
    private record RemoveAndPut(int key, int time, boolean sameTime) implements Change {}

    /** A key removed earlier (in this layer or an earlier one) put again. */
    private record PutBack(int removedKey, int time) implements Change {}

    @Property(tries = 400)
    void theOrderedValuesOfEveryVersionAreThePlainSortOfItsValuesWhateverTheBaseAndTheChanges(
            @ForAll("times") List<Integer> baseTimes,
            @ForAll boolean baseInOrder,
            @ForAll("layers") List<List<Change>> layers) {
        Map<String, Entry> model = new LinkedHashMap<>();
        List<Integer> times = new ArrayList<>(baseTimes);
        if (baseInOrder) {
            Collections.sort(times); // the base's order is the identity, and its own inverse
        }
        for (int index = 0; index < times.size(); index++) {
            String key = "b%04d".formatted(index); // ids in the order of their numbers
            model.put(key, new Entry(key, Instant.ofEpochSecond(times.get(index)), false));
        }
        LayeredMap<Entry> map = LayeredMap.of(model);
        List<List<Entry>> views = new ArrayList<>();
        List<List<Entry>> expected = new ArrayList<>();
        views.add(assertOrderedLikeAPlainSort(map, model));
        expected.add(sorted(model));
        List<String> removed = new ArrayList<>();
        int added = 0;
        for (List<Change> layer : layers) {
            LayeredMap.Editor<Entry> editor = map.edit();
            for (Change change : layer) {
                if (apply(change, editor, model, removed, "n%04d".formatted(added))) {
                    added++;
                }
            }
            map = editor.build();
            views.add(assertOrderedLikeAPlainSort(map, model));
            expected.add(sorted(model));
        }
        for (int version = 0; version < views.size(); version++) {
            assertThat(views.get(version))
                    .as("version %d, after the later ones", version)
                    .containsExactlyElementsOf(expected.get(version));
        }
    }

    /** @return whether it put a new key */
    private static boolean apply(
            Change change,
            LayeredMap.Editor<Entry> editor,
            Map<String, Entry> model,
            List<String> removed,
            String newKey) {
        List<String> keys = new ArrayList<>(model.keySet());
        if (change instanceof PutNew putNew) {
            put(editor, model, new Entry(newKey, Instant.ofEpochSecond(putNew.time()), false));
            return true;
        }
        if (change instanceof PutBack putBack) {
            if (!removed.isEmpty()) {
                String key = removed.remove(putBack.removedKey() % removed.size());
                put(editor, model, new Entry(key, Instant.ofEpochSecond(putBack.time()), true));
            }
            return false;
        }
        if (keys.isEmpty()) {
            return false;
        }
        if (change instanceof Flip flip) {
            Entry entry = model.get(keys.get(flip.key() % keys.size()));
            put(editor, model, new Entry(entry.id(), entry.at(), !entry.flag()));
        } else if (change instanceof Retime retime) {
            Entry entry = model.get(keys.get(retime.key() % keys.size()));
            put(editor, model, new Entry(entry.id(), Instant.ofEpochSecond(retime.time()), entry.flag()));
        } else if (change instanceof Remove remove) {
            String key = keys.get(remove.key() % keys.size());
            assertThat(editor.remove(key)).isEqualTo(model.remove(key));
            removed.add(key);
        } else if (change instanceof RemoveAndPut again) {
            Entry entry = model.get(keys.get(again.key() % keys.size()));
            assertThat(editor.remove(entry.id())).isEqualTo(model.remove(entry.id()));
            Instant at = again.sameTime() ? entry.at() : Instant.ofEpochSecond(again.time());
            put(editor, model, new Entry(entry.id(), at, !entry.flag()));
        }
        return false;
    }

    private static void put(LayeredMap.Editor<Entry> editor, Map<String, Entry> model, Entry entry) {
        assertThat(editor.put(entry.id(), entry)).isEqualTo(model.put(entry.id(), entry));
    }

    private static List<Entry> assertOrderedLikeAPlainSort(LayeredMap<Entry> map, Map<String, Entry> model) {
        List<Entry> expected = new ArrayList<>(map.values());
        expected.sort(ORDER);
        assertThat(expected).as("the map's values are the model's").isEqualTo(sorted(model));

        List<Entry> view = Ordered.copyOf(map.values(), ORDER);

        assertThat(view).isInstanceOf(OrderedValues.class).isInstanceOf(RandomAccess.class);
        assertThat(view.size()).isEqualTo(expected.size());
        for (int index = 0; index < expected.size(); index++) {
            assertThat(view.get(index)).as("get(%d)", index).isEqualTo(expected.get(index));
        }
        List<Entry> iterated = new ArrayList<>();
        Iterator<Entry> iterator = view.iterator();
        while (iterator.hasNext()) {
            iterated.add(iterator.next());
        }
        assertThat(iterated).as("iteration").isEqualTo(expected);
        assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
        assertThat(view.toArray()).as("toArray").isEqualTo(expected.toArray());
        assertThat(view.stream().toList()).as("stream").isEqualTo(expected);
        assertThat(view).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(view);
        assertThatThrownBy(() -> view.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> view.get(expected.size())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> view.set(0, null)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Ordered.copyOf(view, ORDER))
                .as("not copied again for the same order")
                .isSameAs(view);
        return view;
    }

    private static List<Entry> sorted(Map<String, Entry> model) {
        List<Entry> sorted = new ArrayList<>(model.values());
        sorted.sort(ORDER);
        return sorted;
    }

    @Provide
    Arbitrary<List<Integer>> times() {
        return time().list().ofMaxSize(300);
    }

    /** Up to six layers of changes, some longer than the fold threshold (32 changes for a base this small). */
    @Provide
    Arbitrary<List<List<Change>>> layers() {
        return change().list().ofMaxSize(48).list().ofMaxSize(6);
    }

    private static Arbitrary<Change> change() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, 100_000);
        return Arbitraries.oneOf(
                time().map(PutNew::new),
                key.map(Flip::new),
                Combinators.combine(key, time()).as(Retime::new),
                key.map(Remove::new),
                Combinators.combine(key, time(), Arbitraries.of(true, false)).as(RemoveAndPut::new),
                Combinators.combine(key, time()).as(PutBack::new));
    }

    private static Arbitrary<Integer> time() {
        return Arbitraries.integers().between(0, 40);
    }
}
