package io.dcbstore.postgres.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * SQL text by filter shape, least recently used first out. A service whose filters are built
 * from user input can produce any number of shapes; the store keeps at most {@code capacity}
 * statements (and pgjdbc its own bounded cache of prepared ones). Hits and misses are counted,
 * so a cache too small for the application's shapes shows up in {@code statementStatistics()}.
 *
 * @param <K> the shape
 */
final class SqlCache<K> {
    private final int capacity;
    private final Map<K, String> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    SqlCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, String> eldest) {
                return size() > SqlCache.this.capacity;
            }
        };
    }

    /**
     * @param shape the key
     * @param build builds the SQL on a miss (outside the lock; a race builds it twice, harmlessly)
     * @return the SQL
     */
    String get(K shape, Function<K, String> build) {
        String sql;
        synchronized (entries) {
            sql = entries.get(shape);
        }
        if (sql != null) {
            hits.increment();
            return sql;
        }
        misses.increment();
        sql = build.apply(shape);
        synchronized (entries) {
            entries.put(shape, sql);
        }
        return sql;
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
