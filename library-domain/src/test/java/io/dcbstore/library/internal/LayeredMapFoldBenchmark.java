package io.dcbstore.library.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Prints what one version of a large layered map costs the thread that makes it, with its folds
 * in place and on the background thread: a projection state of N entries, versions of 20 changes
 * each (a query's catch-up), each followed by the ordered values a library-wide query returns.
 * Not a test (Surefire does not run it). Run after {@code ./mvnw -q -pl library-domain test-compile}:
 * <pre>java -Xmx4g -XX:+UseParallelGC -cp library-domain/target/classes:library-domain/target/test-classes \
 *   io.dcbstore.library.internal.LayeredMapFoldBenchmark 2000000</pre>
 */
final class LayeredMapFoldBenchmark {
    private record Copy(String id, long added, boolean lent) {}

    private static final Comparator<Copy> ORDER =
            Comparator.comparingLong(Copy::added).thenComparing(Copy::id);
    private static final int VERSIONS = 2_000;
    private static final int CHANGES_PER_VERSION = 20;

    private LayeredMapFoldBenchmark() {}

    public static void main(String[] arguments) {
        int entries = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 2_000_000;
        System.out.printf(
                Locale.ROOT,
                "%,d entries, %,d versions of %d changes each (after 1,000 unmeasured), then the ordered values%n",
                entries,
                VERSIONS,
                CHANGES_PER_VERSION);
        System.out.println("| folds | mean ms | p50 ms | p99 ms | p99.9 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (int round = 0; round < 3; round++) {
            measure("in place (before)", entries, new LayeredMap.Folds(Integer.MAX_VALUE, Runnable::run));
            measure("background", entries, LayeredMap.Folds.DEFAULT);
        }
    }

    private static void measure(String name, int entries, LayeredMap.Folds folds) {
        Map<String, Copy> initial = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            initial.put("book-" + i, new Copy("book-" + i, i, false));
        }
        LayeredMap<Copy> map = LayeredMap.of(initial);
        initial = null;
        map.valuesSortedBy(ORDER).size();
        Random random = new Random(42);
        double[] millis = new double[VERSIONS];
        for (int version = -1_000; version < VERSIONS; version++) {
            long started = System.nanoTime();
            LayeredMap.Editor<Copy> editor = map.edit();
            for (int change = 0; change < CHANGES_PER_VERSION; change++) {
                String id = "book-" + random.nextInt(entries);
                Copy copy = editor.get(id);
                editor.put(id, new Copy(id, copy.added(), !copy.lent()));
            }
            map = editor.build(folds);
            List<Copy> ordered = map.valuesSortedBy(ORDER);
            ordered.get(ordered.size() / 2);
            if (version >= 0) {
                millis[version] = (System.nanoTime() - started) / 1e6;
            }
        }
        double mean = Arrays.stream(millis).average().orElse(0);
        Arrays.sort(millis);
        System.out.printf(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.2f | %.2f | %.1f |%n",
                name,
                mean,
                millis[VERSIONS / 2],
                millis[(int) (VERSIONS * 0.99)],
                millis[(int) (VERSIONS * 0.999)],
                millis[VERSIONS - 1]);
    }
}
