package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Review of the background fold of large layered maps (commit 6ae29c9). The first two tests are
 * attacks that held (every Map method of an editor, branches, failed folds; many threads reading
 * and editing while a real thread folds); every other test fails on that commit.
 */
class LayeredMapBackgroundFoldAttackTest {
    /** Runs the folds it is given only when told to. */
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

    /** ORDER, or an exception while {@link #failing} is set: makes a fold fail when the test wants. */
    private static final class FlakyOrder implements Comparator<Entry> {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger comparisons = new AtomicInteger();

        @Override
        public int compare(Entry a, Entry b) {
            comparisons.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("a fold that fails (as an OutOfMemoryError would)");
            }
            return ORDER.compare(a, b);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Attacks that held: replay of every Map method, branches, failed folds, concurrent readers.
    // ---------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void everyMapMethodOfAnEditorIsReplayedAfterTheFoldWhateverTheBranchAndWhetherTheFoldFailed(@ForAll long seed) {
        Random random = new Random(seed);
        ManualExecutor executor = new ManualExecutor();
        FlakyOrder order = new FlakyOrder();
        LayeredMap.Folds folds = new LayeredMap.Folds(random.nextInt(3) * 50, executor);
        List<LayeredMap<Entry>> versions = new ArrayList<>(List.of(LayeredMap.empty()));
        List<Map<String, Entry>> models = new ArrayList<>(List.of(new LinkedHashMap<>()));
        int keys = 50 + random.nextInt(400);
        for (int step = 0; step < 150; step++) {
            int from = random.nextInt(6) == 0 ? random.nextInt(versions.size()) : versions.size() - 1;
            LayeredMap.Editor<Entry> editor = versions.get(from).edit();
            Map<String, Entry> model = new LinkedHashMap<>(models.get(from));
            int changes = 1 + random.nextInt(random.nextInt(8) == 0 ? 120 : 8);
            for (int change = 0; change < changes; change++) {
                applyTheSameRandomCall(random, keys, editor, model);
            }
            assertThat(new ArrayList<>(editor.entrySet()))
                    .as("the editor after step %d", step)
                    .containsExactlyElementsOf(model.entrySet());
            LayeredMap<Entry> built = editor.build(folds);
            assertSame(built, model, order);
            versions.add(built);
            models.add(model);
            if (random.nextInt(4) == 0) {
                order.failing.set(random.nextInt(3) == 0);
                executor.runAll();
                order.failing.set(false);
            }
        }
        for (int index = 0; index < versions.size(); index++) {
            assertSame(versions.get(index), models.get(index), order);
        }
    }

    /**
     * Held as well: four threads edit branches of shared versions and read every published version
     * (entries in order, sorted values) while a real thread folds their bases.
     */
    @Test
    void versionsReadAndEditedByManyThreadsWhileTheirFoldsRunStayEqualToTheirModels() throws Exception {
        ExecutorService folder = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "attack-fold");
            thread.setDaemon(true);
            return thread;
        });
        LayeredMap.Folds folds = new LayeredMap.Folds(0, folder);
        Map<String, Entry> first = new LinkedHashMap<>();
        for (int key = 0; key < 3_000; key++) {
            first.put("k" + key, new Entry("k" + key, key));
        }
        List<Map.Entry<LayeredMap<Entry>, Map<String, Entry>>> published = new CopyOnWriteArrayList<>();
        published.add(Map.entry(LayeredMap.of(first), Collections.unmodifiableMap(new LinkedHashMap<>(first))));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                long seed = thread;
                done.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    for (int step = 0; step < 250; step++) {
                        var from = published.get(random.nextInt(published.size()));
                        from = random.nextBoolean() ? published.get(published.size() - 1) : from;
                        assertThat(new ArrayList<>(from.getKey().entrySet()))
                                .containsExactlyInAnyOrderElementsOf(
                                        from.getValue().entrySet());
                        List<Entry> sorted = new ArrayList<>(from.getValue().values());
                        sorted.sort(ORDER);
                        assertThat(from.getKey().valuesSortedBy(ORDER)).containsExactlyElementsOf(sorted);
                        LayeredMap.Editor<Entry> editor = from.getKey().edit();
                        Map<String, Entry> model = new LinkedHashMap<>(from.getValue());
                        for (int change = 1 + random.nextInt(60); change > 0; change--) {
                            String key = "k" + random.nextInt(4_000);
                            if (random.nextInt(4) == 0) {
                                assertThat(editor.remove(key)).isEqualTo(model.remove(key));
                            } else {
                                Entry entry = new Entry(key, random.nextInt(5_000));
                                assertThat(editor.put(key, entry)).isEqualTo(model.put(key, entry));
                            }
                        }
                        published.add(Map.entry(editor.build(folds), Collections.unmodifiableMap(model)));
                    }
                    return null;
                }));
            }
            for (Future<?> thread : done) {
                thread.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
            folder.shutdownNow();
        }
    }

    /** One random Map call, made on the editor and on a LinkedHashMap; both must answer alike. */
    private static void applyTheSameRandomCall(
            Random random, int keys, LayeredMap.Editor<Entry> editor, Map<String, Entry> model) {
        String key = "k" + random.nextInt(keys);
        Entry entry = new Entry(key, random.nextInt(30));
        boolean drop = random.nextInt(3) == 0;
        switch (random.nextInt(16)) {
            case 0, 1, 2 -> assertThat(editor.put(key, entry)).isEqualTo(model.put(key, entry));
            case 3, 4 -> assertThat(editor.remove(key)).isEqualTo(model.remove(key));
            case 5 ->
                assertThat(editor.computeIfPresent(key, (k, old) -> drop ? null : entry))
                        .isEqualTo(model.computeIfPresent(key, (k, old) -> drop ? null : entry));
            case 6 ->
                assertThat(editor.computeIfAbsent(key, k -> entry)).isEqualTo(model.computeIfAbsent(key, k -> entry));
            case 7 ->
                assertThat(editor.compute(key, (k, old) -> drop ? null : entry))
                        .isEqualTo(model.compute(key, (k, old) -> drop ? null : entry));
            case 8 ->
                assertThat(editor.merge(key, entry, (old, given) -> drop ? null : given))
                        .isEqualTo(model.merge(key, entry, (old, given) -> drop ? null : given));
            case 9 -> assertThat(editor.putIfAbsent(key, entry)).isEqualTo(model.putIfAbsent(key, entry));
            case 10 -> assertThat(editor.replace(key, entry)).isEqualTo(model.replace(key, entry));
            case 11 -> {
                Entry old = model.get(key);
                assertThat(editor.replace(key, old, entry)).isEqualTo(old != null && model.replace(key, old, entry));
            }
            case 12 -> {
                Entry old = drop ? entry : model.get(key);
                assertThat(editor.remove(key, old)).isEqualTo(model.remove(key, old));
            }
            case 13 -> {
                Map<String, Entry> more = new LinkedHashMap<>();
                for (int count = random.nextInt(4); count > 0; count--) {
                    String other = "k" + random.nextInt(keys);
                    more.put(other, new Entry(other, random.nextInt(30)));
                }
                editor.putAll(more);
                model.putAll(more);
            }
            case 14 -> {
                // Bulk removals through the views would bypass put/remove (and the record of the
                // changes since a pending fold): they must refuse rather than change the editor.
                List<Consumer<Map<String, Entry>>> bulk = List.of(
                        Map::clear,
                        map -> map.replaceAll((k, old) -> entry),
                        map -> map.keySet().remove(key),
                        map -> map.keySet().removeIf(k -> true),
                        map -> map.values().removeIf(value -> true),
                        map -> map.entrySet().removeIf(e -> true),
                        map -> map.entrySet().iterator().remove());
                try {
                    bulk.get(random.nextInt(bulk.size())).accept(editor);
                } catch (UnsupportedOperationException refused) {
                    // refused: the editor must be unchanged, as the model is (checked after the step)
                }
            }
            default -> assertThat(editor.getOrDefault(key, entry)).isEqualTo(model.getOrDefault(key, entry));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Findings: each test below fails on 6ae29c9.
    // ---------------------------------------------------------------------------------------------

    /**
     * The in-place fallback ("the layer grows past four times the threshold") counts the keys in the
     * layer, but the record of what was done since the pending fold counts calls: a projection that
     * updates the same entries again and again (books lent and returned) never reaches the fallback,
     * and every edit and every build copies the whole record (quadratic in the events applied while
     * the fold is pending) and keeps every value it ever overwrote.
     */
    @Test
    void theChangesRecordedSinceAPendingFoldStayBoundedWhenTheSameEntriesAreUpdatedAgainAndAgain() throws Exception {
        ManualExecutor slow = new ManualExecutor(); // the fold does not finish during the test
        LayeredMap.Folds folds = new LayeredMap.Folds(0, slow);
        Map<String, Entry> model = tenThousandEntries();
        LayeredMap<Entry> map = putAll(LayeredMap.of(model), model, 0, 201, folds); // past 200: a fold starts
        assertThat(slow.started).isEqualTo(1);
        assertThat(map.layerSize()).isEqualTo(201);

        for (int event = 0; event < 5_000; event++) {
            String key = "k" + (event % 10); // ten books lent and returned again and again
            LayeredMap.Editor<Entry> editor = map.edit();
            editor.put(key, new Entry(key, -event));
            map = editor.build(folds);
        }

        assertThat(sinceOf(map))
                .as("the changes recorded since the pending fold (copied twice by every edit)")
                .isLessThanOrEqualTo(4 * 200);
    }

    @Test
    void aVersionDoesNotKeepEveryValueOverwrittenWhileAFoldIsPending() throws Exception {
        ManualExecutor slow = new ManualExecutor();
        LayeredMap.Folds folds = new LayeredMap.Folds(0, slow);
        Map<String, Entry> model = tenThousandEntries();
        LayeredMap<Entry> map = putAll(LayeredMap.of(model), model, 0, 201, folds);
        List<WeakReference<Entry>> overwritten = new ArrayList<>();
        for (int event = 0; event < 1_000; event++) {
            Entry entry = new Entry("k0", 1_000_000 + event);
            overwritten.add(new WeakReference<>(entry));
            LayeredMap.Editor<Entry> editor = map.edit();
            editor.put("k0", entry);
            map = editor.build(folds);
        }
        assertThat(map.get("k0").rank()).isEqualTo(1_000_999);

        collectGarbage();

        long stillReachable = overwritten.subList(0, 999).stream()
                .filter(reference -> reference.get() != null)
                .count();
        assertThat(stillReachable)
                .as("values overwritten since the fold started, of 999, still reachable from the latest version")
                .isLessThan(10);
    }

    /**
     * The worker says "an OutOfMemoryError too: the next edit folds in place", but the next edit
     * sees the failed fold, forgets it, and starts another one in the background: a fold that fails
     * every time (a comparator that throws, memory that is short for a second base) is started
     * again by every edit until the layer reaches four thresholds, and the failure is never logged.
     */
    @Test
    void afterABackgroundFoldFailsTheNextEditFoldsInPlaceAsTheWorkerSays() {
        ManualExecutor executor = new ManualExecutor();
        LayeredMap.Folds folds = new LayeredMap.Folds(0, executor);
        FlakyOrder order = new FlakyOrder();
        Map<String, Entry> model = tenThousandEntries();
        LayeredMap<Entry> map = LayeredMap.of(model);
        map.valuesSortedBy(order); // the base knows the results' order: the fold merges the changes into it

        map = putAll(map, model, 0, 201, folds);
        assertThat(executor.started).isEqualTo(1);
        order.failing.set(true);
        executor.runAll(); // the fold fails
        order.failing.set(false);

        map = putAll(map, model, 201, 1, folds);

        assertSame(map, model, order);
        assertThat(executor.started).as("background folds started").isEqualTo(1);
        assertThat(map.layerSize())
                .as("the edit after the failed fold folded in place")
                .isZero();
    }

    /**
     * Only RuntimeExceptions from the executor are caught. A JVM that cannot start the folding
     * thread (a container's process limit: "unable to create native thread") throws an
     * OutOfMemoryError from execute, and the query that happened to make the version fails, where
     * before the change it folded in place.
     */
    @Test
    void anEditStillSucceedsWhenTheFoldingThreadCannotBeStarted() {
        Executor noThreads = task -> {
            throw new OutOfMemoryError(
                    "unable to create native thread: possibly out of memory or process/resource limits reached");
        };
        LayeredMap.Folds folds = new LayeredMap.Folds(0, noThreads);
        Map<String, Entry> model = tenThousandEntries();
        LayeredMap.Editor<Entry> editor = LayeredMap.of(model).edit();
        for (int key = 0; key < 201; key++) {
            Entry entry = new Entry("k" + key, -key);
            editor.put("k" + key, entry);
            model.put("k" + key, entry);
        }
        AtomicReference<LayeredMap<Entry>> built = new AtomicReference<>();

        assertThatCode(() -> built.set(editor.build(folds))).doesNotThrowAnyException();
        assertSame(built.get(), model, ORDER);
    }

    /**
     * When the layer passes four thresholds before the fold is done, the edit folds in place and no
     * later version refers to the pending fold, but the fold still runs: on the one thread that
     * folds for every map of the JVM, ahead of the folds that are still wanted, on a 2-core machine
     * next to the query that folded in place. A cold replay in batches of 10,000 events does this
     * for about every other batch.
     */
    @Test
    void aFoldAbandonedForAnInPlaceFoldDoesNotRunAnyway() {
        ManualExecutor executor = new ManualExecutor();
        LayeredMap.Folds folds = new LayeredMap.Folds(0, executor);
        FlakyOrder order = new FlakyOrder();
        Map<String, Entry> model = tenThousandEntries();
        LayeredMap<Entry> map = LayeredMap.of(model);
        map.valuesSortedBy(order);

        map = putAll(map, model, 0, 201, folds); // a fold starts
        map = putAll(map, model, 201, 4 * 200, folds); // past four thresholds: folded in place
        assertThat(map.layerSize()).isZero();
        assertSame(map, model, order);
        order.comparisons.set(0);

        executor.runAll();

        assertThat(order.comparisons.get())
                .as("comparisons made by the abandoned fold (it also copies every entry)")
                .isZero();
    }

    /**
     * A version made while its fold ran keeps the old base and, once the fold is done, the folded
     * one too (accepted, and documented on LayeredMap: one extra base's arrays until the next
     * edit). The next edit's version starts from the folded base and holds the old one no more.
     */
    @Test
    void theVersionAfterACompletedFoldNoLongerHoldsTheOldBase() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        LayeredMap.Folds folds = new LayeredMap.Folds(0, executor);
        Map<String, Entry> model = tenThousandEntries();
        LayeredMap<Entry> map = putAll(LayeredMap.of(model), model, 0, 201, folds);
        map = putAll(map, model, 201, 1, folds); // the cached state when the events stop
        executor.runAll();
        List<WeakReference<Object>> bases = basesOf(map);
        LayeredMap<Entry> next = putAll(map, model, 300, 1, folds);
        assertThat(next.layerSize()).as("an edit starts from the folded base").isEqualTo(2);
        map = null;

        collectGarbage();

        assertSame(next, model, ORDER);
        assertThat(bases.get(0).get())
                .as("the old base, once only the next version is kept")
                .isNull();
        assertThat(bases.get(1).get())
                .as("the folded base, which the next version uses")
                .isNotNull();
    }

    /**
     * The folding thread is made by whichever thread first needs it, so it keeps that thread's
     * context class loader, and it never ends (a single-thread executor's thread does not time
     * out, and nothing shuts it down). In an application server the web application's class loader
     * can then never be collected after an undeploy (Tomcat: "appears to have started a thread
     * named [dcb-layered-map-fold] but has failed to stop it"): every redeploy leaks its classes.
     */
    @Test
    void theFoldingThreadLetsTheApplicationThatStartedItBeUnloaded() throws Exception {
        WeakReference<ClassLoader> application = foldInAnApplicationClassLoader();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (application.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }

        assertThat(application.get())
                .as("the class loader of an undeployed application that used a large layered map")
                .isNull();
    }

    /** Loads LayeredMap in a class loader of its own and folds a large map on its default thread. */
    private static WeakReference<ClassLoader> foldInAnApplicationClassLoader() throws Exception {
        URL classes = LayeredMap.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader application = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread request = new Thread(
                () -> {
                    try {
                        Class<?> layered = Class.forName(LayeredMap.class.getName(), true, application);
                        if (layered == LayeredMap.class) {
                            throw new AssertionError("LayeredMap was not loaded again");
                        }
                        Map<String, Object> entries = new LinkedHashMap<>();
                        for (int key = 0; key < 70_000; key++) {
                            entries.put("k" + key, key);
                        }
                        Object map = layered.getMethod("of", Map.class).invoke(null, entries);
                        Object editor = layered.getMethod("edit").invoke(map);
                        Method put = editor.getClass().getMethod("put", String.class, Object.class);
                        for (int key = 70_000; key < 70_600; key++) { // past 528, under 4 x 528
                            put.invoke(editor, "k" + key, key);
                        }
                        editor.getClass().getMethod("build").invoke(editor); // starts a background fold
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                },
                "application-request");
        request.setContextClassLoader(application);
        request.start();
        request.join();
        assertThat(failed.get()).isNull();
        Thread.sleep(500); // the fold of 70,600 entries is done
        application.close();
        return new WeakReference<>(application);
    }

    // ---------------------------------------------------------------------------------------------

    private static Map<String, Entry> tenThousandEntries() {
        Map<String, Entry> model = new LinkedHashMap<>();
        for (int key = 0; key < 10_000; key++) {
            model.put("k" + key, new Entry("k" + key, key));
        }
        return model; // threshold 2 * sqrt(10,000) = 200
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

    private static void assertSame(LayeredMap<Entry> map, Map<String, Entry> model, Comparator<Entry> order) {
        assertThat(map.size()).isEqualTo(model.size());
        assertThat(new ArrayList<>(map.entrySet())).containsExactlyElementsOf(model.entrySet());
        model.forEach((key, entry) -> assertThat(map.get(key)).isEqualTo(entry));
        List<Entry> sorted = new ArrayList<>(model.values());
        sorted.sort(ORDER);
        assertThat(map.valuesSortedBy(order)).containsExactlyElementsOf(sorted);
    }

    private static void collectGarbage() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    /** @return how many changes are recorded since the version whose fold is pending, read reflectively */
    private static int sinceOf(LayeredMap<?> map) throws ReflectiveOperationException {
        Object fold = read(map, "fold");
        if (fold == null) {
            return 0;
        }
        Method since = fold.getClass().getDeclaredMethod("since");
        since.setAccessible(true);
        Object newest = since.invoke(fold);
        if (newest == null) {
            return 0;
        }
        Method count = newest.getClass().getDeclaredMethod("count");
        count.setAccessible(true);
        return (Integer) count.invoke(newest);
    }

    /** @return weak references to the version's base and to the base its completed fold made */
    private static List<WeakReference<Object>> basesOf(LayeredMap<?> map) throws ReflectiveOperationException {
        Object fold = read(map, "fold");
        assertThat(fold).as("the version made while the fold ran refers to it").isNotNull();
        Method folded = fold.getClass().getDeclaredMethod("folded");
        folded.setAccessible(true);
        Object foldedMap = ((CompletableFuture<?>) folded.invoke(fold)).join();
        return List.of(new WeakReference<>(read(map, "base")), new WeakReference<>(read(foldedMap, "base")));
    }

    private static Object read(Object target, String name) throws ReflectiveOperationException {
        Field field = LayeredMap.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
