package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Large layered maps fold their change layer on another thread: the versions made while the fold
 * runs, and those made after it from the folded base, hold the same entries in the same order (and
 * the same sorted values) as a plain {@link LinkedHashMap}, whenever the fold finishes.
 */
class LayeredMapBackgroundFoldTest {
    /** Runs the folds it is given only when told to: the test decides when each fold finishes. */
    private static final class ManualExecutor implements Executor {
        final Deque<Runnable> queued = new ArrayDeque<>();
        int started;

        @Override
        public void execute(Runnable task) {
            queued.add(task);
            started++;
        }

        void runAll() {
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }
    }

    private record Entry(String id, int rank) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparingInt(Entry::rank).thenComparing(Entry::id);

    @Property(tries = 200)
    void everyVersionEqualsALinkedHashMapWheneverTheBackgroundFoldsFinish(@ForAll long seed) {
        Random random = new Random(seed);
        ManualExecutor executor = new ManualExecutor();
        LayeredMap.Folds folds = new LayeredMap.Folds(random.nextInt(3) * 50, executor);
        Map<String, Entry> model = new LinkedHashMap<>();
        LayeredMap<Entry> map = LayeredMap.empty();
        List<LayeredMap<Entry>> versions = new ArrayList<>();
        List<Map<String, Entry>> expected = new ArrayList<>();
        int keys = 50 + random.nextInt(400);
        for (int step = 0; step < 150; step++) {
            LayeredMap.Editor<Entry> editor = map.edit();
            int changes = 1 + random.nextInt(random.nextInt(8) == 0 ? 120 : 8);
            for (int change = 0; change < changes; change++) {
                String key = "k" + random.nextInt(keys);
                if (random.nextInt(10) < 7) {
                    Entry entry = new Entry(key, random.nextInt(30));
                    assertThat(editor.put(key, entry)).isEqualTo(model.put(key, entry));
                } else {
                    assertThat(editor.remove(key)).isEqualTo(model.remove(key));
                }
            }
            map = editor.build(folds);
            assertSame(map, model);
            if (random.nextInt(4) == 0) {
                executor.runAll(); // the fold finishes now; the next edit starts from it
            }
            if (step % 10 == 0) {
                versions.add(map);
                expected.add(new LinkedHashMap<>(model));
            }
        }
        for (int index = 0; index < versions.size(); index++) {
            assertSame(versions.get(index), expected.get(index));
        }
    }

    @Test
    void theEditThatPassesTheThresholdReturnsWithoutFoldingAndTheNextEditAfterTheFoldStartsFromIt() {
        ManualExecutor executor = new ManualExecutor();
        LayeredMap.Folds folds = new LayeredMap.Folds(0, executor);
        Map<String, Entry> model = new LinkedHashMap<>();
        for (int key = 0; key < 10_000; key++) {
            model.put("k" + key, new Entry("k" + key, key));
        }
        LayeredMap<Entry> map = LayeredMap.of(model);
        int threshold = 2 * (int) Math.sqrt(10_000); // 200

        map = putAll(map, model, 0, 201, folds);
        assertThat(map.layerSize())
                .as("the version past the threshold keeps its layer")
                .isEqualTo(201);
        assertThat(executor.started).as("and starts one fold").isEqualTo(1);

        map = putAll(map, model, 201, 50, folds);
        assertThat(map.layerSize())
                .as("the fold has not finished: the layer grows")
                .isEqualTo(251);
        assertThat(executor.started).as("no second fold while one is pending").isEqualTo(1);

        executor.runAll();
        map = putAll(map, model, 251, 10, folds);
        assertThat(map.layerSize())
                .as("after the fold, the next edit starts from the folded base and replays the 50 changes since")
                .isEqualTo(60);
        assertSame(map, model);

        map = putAll(map, model, 2_000, 150, folds);
        assertThat(executor.started)
                .as("past the threshold again: a second fold")
                .isEqualTo(2);
        map = putAll(map, model, 3_000, 4 * threshold, folds);
        assertThat(map.layerSize())
                .as("a pending fold that falls behind four thresholds: folded in place")
                .isZero();
        executor.runAll(); // the abandoned fold finishes late; nothing starts from it
        map = putAll(map, model, 4_000, 3, folds);
        assertThat(map.layerSize()).isEqualTo(3);
        assertSame(map, model);
    }

    private static LayeredMap<Entry> putAll(
            LayeredMap<Entry> map, Map<String, Entry> model, int from, int count, LayeredMap.Folds folds) {
        LayeredMap.Editor<Entry> editor = map.edit();
        for (int key = from; key < from + count; key++) {
            Entry entry = new Entry("k" + key, -key);
            editor.put("k" + key, entry);
            model.put("k" + key, entry);
        }
        return editor.build(folds);
    }

    private static void assertSame(LayeredMap<Entry> map, Map<String, Entry> model) {
        assertThat(map.size()).isEqualTo(model.size());
        assertThat(new ArrayList<>(map.entrySet())).containsExactlyElementsOf(model.entrySet());
        model.forEach((key, entry) -> assertThat(map.get(key)).isEqualTo(entry));
        List<Entry> sorted = new ArrayList<>(model.values());
        sorted.sort(ORDER);
        assertThat(map.valuesSortedBy(ORDER)).containsExactlyElementsOf(sorted);
    }
}
