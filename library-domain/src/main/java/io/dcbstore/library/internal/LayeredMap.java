package io.dcbstore.library.internal;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

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
 * <p>Iteration follows the base's order, with changed values in place, then the entries added
 * since (new keys, and keys removed and put again) in the order they were added: the order in which
 * the entries were (last) put in, as in a {@link LinkedHashMap}.
 * No null keys or values. Versions are safe to share between threads once published.
 *
 * @param <V> the entry type, immutable
 */
public final class LayeredMap<V> extends AbstractMap<String, V> {
    static final Object REMOVED = new Object();
    private static final LayeredMap<?> EMPTY = new LayeredMap<>(LayeredBase.EMPTY, Map.of(), 0);

    private final LayeredBase base;
    /**
     * Keys changed since the base: a new value in place, {@link #REMOVED}, or a {@link Moved} value
     * (a base key removed and put again, which iterates with the added entries); never modified once
     * built.
     */
    private final Map<String, Object> changes;

    private final int size;
    private volatile Values<V> valuesInOrder; // computed on first use

    private LayeredMap(LayeredBase base, Map<String, Object> changes, int size) {
        this.base = base;
        this.changes = changes;
        this.size = size;
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
                : new LayeredMap<>(LayeredBase.of(entries.entrySet()), Map.of(), entries.size());
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
        Values<V> values = valuesInOrder;
        if (values == null) {
            values = new Values<>(this);
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

    /**
     * The values of one version in iteration order; immutable, computed on first use.
     * {@link Ordered#copyOf} recognises it and asks its map for the values in the wanted order.
     *
     * @param <V> the entry type
     */
    static final class Values<V> extends AbstractList<V> implements RandomAccess {
        final LayeredMap<V> map;
        private volatile V[] array;

        private Values(LayeredMap<V> map) {
            this.map = map;
        }

        private V[] array() {
            V[] values = array;
            if (values == null) {
                values = map.valuesArray();
                array = values;
            }
            return values;
        }

        @Override
        public V get(int index) {
            return array()[index];
        }

        @Override
        public int size() {
            return map.size;
        }

        @Override
        public Object[] toArray() {
            return array().clone();
        }
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
    private V[] valuesArray() {
        if (changes.isEmpty()) {
            return (V[]) Arrays.copyOf(base.values, base.values.length);
        }
        Object[] inBase = Arrays.copyOf(base.values, base.values.length);
        List<Object> added = new ArrayList<>();
        for (Entry<String, Object> change : changes.entrySet()) {
            int position = base.positionOf(change.getKey());
            Object value = change.getValue();
            if (position < 0) {
                added.add(value);
            } else if (value == REMOVED) {
                inBase[position] = null;
            } else if (value instanceof Moved moved) {
                inBase[position] = null;
                added.add(moved.value());
            } else {
                inBase[position] = value;
            }
        }
        Object[] values = new Object[size];
        int next = 0;
        for (Object value : inBase) {
            if (value != null) {
                values[next++] = value;
            }
        }
        for (Object value : added) {
            values[next++] = value;
        }
        return (V[]) values;
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
        private final LayeredBase base;
        private final Map<String, Object> changes;
        private int size;

        private Editor(LayeredMap<V> from) {
            this.base = from.base;
            this.changes = new LinkedHashMap<>(from.changes);
            this.size = from.size;
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
            if (changes.isEmpty()) {
                return new LayeredMap<>(base, Map.of(), size);
            }
            if (changes.size() > compactionThreshold(base.values.length)) {
                if (size == 0) {
                    return empty();
                }
                LayeredBase folded = LayeredBase.of(entrySet());
                LayeredBase.SortedPositions known = base.sortedPositions;
                // Keep the base's order known: merging the changes costs far less than a sort.
                if (known != null && base != LayeredBase.EMPTY) {
                    folded.sortedPositions = new LayeredBase.SortedPositions(
                            known.order(),
                            new LayeredMap<V>(base, changes, size)
                                    .merge(known.order())
                                    .foldedPositions());
                }
                return new LayeredMap<>(folded, Map.of(), size);
            }
            return new LayeredMap<>(base, changes, size);
        }

        private static int compactionThreshold(int baseSize) {
            return Math.max(32, 2 * (int) Math.sqrt(baseSize));
        }
    }

    /** The value of a base key that was removed and put again: it iterates with the added entries. */
    record Moved(Object value) {}
}
