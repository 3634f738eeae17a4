package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
            assertThat(versions.get(index).toArray()).isEqualTo(expected.get(index).toArray());
        }
        assertThat(AppendOnlyList.of(versions.get(5))).isSameAs(versions.get(5));
        assertThatThrownBy(() -> versions.get(5).add(1)).isInstanceOf(UnsupportedOperationException.class);
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
