package io.dcbstore.library.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An immutable map from ids to entries whose versions share their bulk, so that a new version with
 * a few changes costs about as much as the changes, not as much as the map. Projection states use it:
 * a cached state of 20,000 books is never copied to apply one event.
 *
 * <p>A version is a shared, never-modified <em>base</em> (keys and values in order, and an index)
 * plus a small <em>change layer</em> (entries put or removed since the base). {@link #edit()}
 * starts a mutable {@link Editor} that copies only the change layer; {@link Editor#build()} folds
 * the layer into a new base once it grows past about the square root of the base's size, so a
 * full copy happens only every so many changes (amortised cost per change: O(sqrt(n))).
 *
 * <p>A fold touches every entry: 170-190 ms for 2,000,000 entries on a 2-core machine, which a
 * query that happened to make that version would wait for (it was the p99 of the simulator's
 * library-wide query at 10M events). So large bases ({@link Folds#DEFAULT}: from 65,536 entries)
 * are folded on a background thread: the version that passes the threshold keeps its layer and
 * starts the fold; the versions made from it record the puts and removals since then; the first
 * edit after the fold has finished starts from the folded version and replays them. Replaying gives
 * the same entries in the same order, because an editor orders entries as a {@link LinkedHashMap}
 * does whatever the base. The record of those changes is shared between versions (adding one
 * copies nothing). If the layer, or that record, grows past four times the threshold before the
 * fold is done, or the fold failed, or its thread cannot be started, the edit folds in place, as
 * small maps always do, and cancels a fold no version will use. A version made while its fold ran
 * keeps both bases reachable until the next edit starts from the folded one (one extra base's
 * arrays, not its entries, which the bases share).
 *
 * <p>Iteration follows the base's order, with changed values in place, then the entries added
 * since (new keys, and keys removed and put again) in the order they were added: the order in which
 * the entries were (last) put in, as in a {@link LinkedHashMap}.
 * No null keys or values. Versions are safe to share between threads once published.
 *
 * @param <V> the entry type, immutable
 */
public final class LayeredMap<V> extends AbstractMap<String, V> {
    static final Object REMOVED = new Object();
    private static final LayeredMap<?> EMPTY = new LayeredMap<>(LayeredBase.EMPTY, Map.of(), 0, null);

    private final LayeredBase base;
    /**
     * Keys changed since the base: a new value in place, {@link #REMOVED}, or a {@link Moved} value
     * (a base key removed and put again, which iterates with the added entries); never modified once
     * built.
     */
    private final Map<String, Object> changes;

    private final int size;
    /** A fold of an earlier version in progress, and the changes made since that version; or null. */
    private final LayeredFolds.Fold fold;

    private volatile LayeredValues<V> valuesInOrder; // computed on first use

    private LayeredMap(LayeredBase base, Map<String, Object> changes, int size, LayeredFolds.Fold fold) {
        this.base = base;
        this.changes = changes;
        this.size = size;
        this.fold = fold;
    }

    /**
     * Where large bases are folded.
     *
     * @param backgroundFrom bases of at least this many entries are folded by {@code executor};
     *     smaller ones in the edit that passes the threshold
     * @param executor runs background folds
     */
    record Folds(int backgroundFrom, Executor executor) {
        /** One daemon thread for every layered map of the JVM, from 65,536 entries. */
        static final Folds DEFAULT = new Folds(65_536, LayeredFolds.EXECUTOR);
    }

    /** @return this version with its changes in a new base; touches every entry */
    private LayeredMap<V> folded() {
        if (size == 0) {
            return empty();
        }
        LayeredBase folded = LayeredBase.of(entrySet());
        LayeredBase.SortedPositions known = base.sortedPositions;
        // Keep the base's order known: merging the changes costs far less than a sort.
        if (known != null && base != LayeredBase.EMPTY) {
            folded.sortedPositions = new LayeredBase.SortedPositions(
                    known.order(), merge(known.order()).foldedPositions());
        }
        return new LayeredMap<>(folded, Map.of(), size, null);
    }

    /**
     * @param <V> the entry type
     * @return the empty map
     */
    @SuppressWarnings("unchecked") // holds no values
    public static <V> LayeredMap<V> empty() {
        return (LayeredMap<V>) EMPTY;
    }

    /**
     * @param entries any map without null keys or values
     * @param <V> the entry type
     * @return the map itself if it is a layered map, else a layered copy in its iteration order
     */
    public static <V> LayeredMap<V> of(Map<String, V> entries) {
        if (entries instanceof LayeredMap<V> layered) {
            return layered;
        }
        return entries.isEmpty()
                ? empty()
                : new LayeredMap<>(LayeredBase.of(entries.entrySet()), Map.of(), entries.size(), null);
    }

    /** @return how many keys changed since this version's base (for tests) */
    int layerSize() {
        return changes.size();
    }

    /** @return a mutable copy of this version; building it leaves this version unchanged */
    public Editor<V> edit() {
        return new Editor<>(this);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public V get(Object key) {
        return lookUp(base, changes, key);
    }

    /** @return the values in iteration order, as an unmodifiable list; built once per version */
    @Override
    public List<V> values() {
        LayeredValues<V> values = valuesInOrder;
        if (values == null) {
            values = new LayeredValues<>(this, base, changes, size);
            valuesInOrder = values;
        }
        return values;
    }

    /**
     * The values in the given order, without comparing or copying every entry: the base's order is
     * computed once and kept with it (bases are shared by many versions and replaced only every so
     * many changes), and the list merges this version's changes into it as it is read
     * ({@link OrderedValues}). A result of 2,000,000 entries with a few hundred changes costs a few
     * thousand comparisons and arrays the size of the changes, instead of a sort or a copy that
     * touches every entry. When the changes are folded into a new base, the same merge gives the new
     * base's order ({@link OrderedMerge}), so a sort happens only for the first base of a projection
     * (after a replay or a snapshot load).
     *
     * @param order the wanted order; consistent with equals on the entries' ids
     * @return an immutable list of the values in that order
     */
    @SuppressWarnings("unchecked") // the comparator accepts every V, and only Vs are compared
    List<V> valuesSortedBy(Comparator<? super V> order) {
        return OrderedValues.of(base, changes, size, (Comparator<Object>) order);
    }

    @SuppressWarnings("unchecked") // the comparator accepts every V, and only Vs are compared
    private OrderedMerge.Merged merge(Comparator<? super V> order) {
        return OrderedMerge.merge(base, changes, size, (Comparator<Object>) order);
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new LayeredEntryIterator<>(base, changes);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @SuppressWarnings("unchecked") // values are Vs
    private static <V> V lookUp(LayeredBase base, Map<String, Object> changes, Object key) {
        Object changed = changes.get(key);
        if (changed != null) {
            return changed == REMOVED ? null : changed instanceof Moved moved ? (V) moved.value() : (V) changed;
        }
        int position = base.positionOf(key);
        return position < 0 ? null : (V) base.values[position];
    }

    /**
     * A mutable map that records changes on top of a version, for one projection step. Not
     * thread-safe; discard it after {@link #build()}.
     *
     * @param <V> the entry type
     */
    public static final class Editor<V> extends AbstractMap<String, V> {
        private LayeredBase base;
        private Map<String, Object> changes;
        private int size;
        /** The fold in progress that the versions this editor makes still wait for; or null. */
        private CompletableFuture<LayeredMap<?>> pending;
        /** The changes since the version being folded, newest first; null when there are none. */
        private LayeredFolds.Change since;
        /** Whether the fold of an earlier version failed: this editor's build folds in place. */
        private boolean foldFailed;

        @SuppressWarnings("unchecked") // a fold of a LayeredMap<V> is one
        private Editor(LayeredMap<V> from) {
            LayeredMap<V> start = from;
            LayeredFolds.Fold fold = from.fold;
            boolean done = fold != null && fold.folded().isDone();
            boolean failed = done && fold.folded().isCompletedExceptionally();
            if (done && !failed) {
                start = (LayeredMap<V>) fold.folded().join();
            }
            this.base = start.base;
            this.changes = new LinkedHashMap<>(start.changes);
            this.size = start.size;
            this.foldFailed = failed;
            if (start != from && fold.since() != null) {
                for (LayeredFolds.Change change : fold.since().inOrder()) {
                    if (change.value() == REMOVED) {
                        remove(change.key());
                    } else {
                        put(change.key(), (V) change.value());
                    }
                }
            } else if (fold != null && !done) {
                this.pending = fold.folded();
                this.since = fold.since();
            }
        }

        @Override
        public V get(Object key) {
            return lookUp(base, changes, key);
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public V put(String key, V value) {
            if (key == null || value == null) {
                throw new NullPointerException("a layered map holds no null keys or values");
            }
            V previous = get(key);
            Object changed = changes.get(key);
            if (!base.contains(key)) {
                changes.put(key, value); // new keys go last; updates keep their place
            } else if (changed == REMOVED) {
                changes.remove(key); // put again after a removal: goes last, like a new key
                changes.put(key, new Moved(value));
            } else {
                changes.put(key, changed instanceof Moved ? new Moved(value) : value);
            }
            if (previous == null) {
                size++;
            }
            if (pending != null) {
                since = LayeredFolds.Change.after(since, key, value);
            }
            return previous;
        }

        @Override
        public V remove(Object key) {
            V previous = get(key);
            if (previous != null) {
                if (base.contains(key)) {
                    changes.put((String) key, REMOVED);
                } else {
                    changes.remove(key);
                }
                size--;
                if (pending != null) {
                    since = LayeredFolds.Change.after(since, (String) key, REMOVED);
                }
            }
            return previous;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Entry<String, V>> entrySet() {
            return Collections.unmodifiableSet(new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, V>> iterator() {
                    return new LayeredEntryIterator<>(base, changes);
                }

                @Override
                public int size() {
                    return size;
                }
            });
        }

        /** @return the new version; folds the changes into a new base when they have grown large */
        public LayeredMap<V> build() {
            return build(Folds.DEFAULT);
        }

        /**
         * @param folds where a large base is folded
         * @return the new version; folds the changes into a new base, or starts a fold of this version
         *     in the background, when they have grown large
         */
        LayeredMap<V> build(Folds folds) {
            LayeredFolds.Fold fold = pending == null ? null : new LayeredFolds.Fold(pending, since);
            if (changes.isEmpty()) {
                return new LayeredMap<>(base, Map.of(), size, fold);
            }
            int threshold = compactionThreshold(base.values.length);
            LayeredMap<V> version = new LayeredMap<>(base, changes, size, fold);
            if (changes.size() <= threshold) {
                return version;
            }
            boolean fallenBehind = changes.size() > 4 * threshold || (since != null && since.count() > 4 * threshold);
            if (base.values.length < folds.backgroundFrom() || foldFailed || fallenBehind) {
                if (pending != null) {
                    pending.cancel(false); // no version will start from it: do not let it take the thread
                }
                return version.folded(); // a fold reads the entries only, not the pending fold
            }
            if (fold != null) {
                return version; // the fold in progress will take most of these changes
            }
            LayeredMap<V> toFold = version; // no fold pending: this version is the one to fold
            CompletableFuture<LayeredMap<?>> folded = new CompletableFuture<>();
            try {
                folds.executor().execute(() -> {
                    if (folded.isDone()) {
                        return; // cancelled before it started
                    }
                    try {
                        folded.complete(toFold.folded());
                    } catch (Throwable e) { // an OutOfMemoryError too: the next edit folds in place
                        folded.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException | OutOfMemoryError cannotStart) { // rejected, or no thread to be had
                return toFold.folded();
            }
            return new LayeredMap<>(base, changes, size, new LayeredFolds.Fold(folded, null));
        }

        private static int compactionThreshold(int baseSize) {
            return Math.max(32, 2 * (int) Math.sqrt(baseSize));
        }
    }

    /** The value of a base key that was removed and put again: it iterates with the added entries. */
    record Moved(Object value) {}
}
