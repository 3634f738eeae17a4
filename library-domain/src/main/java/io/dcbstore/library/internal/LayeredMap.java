package io.dcbstore.library.internal;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
    private static final Object REMOVED = new Object();
    private static final LayeredMap<?> EMPTY = new LayeredMap<>(Base.EMPTY, Map.of(), 0);

    private final Base base;
    /**
     * Keys changed since the base: a new value in place, {@link #REMOVED}, or a {@link Moved} value
     * (a base key removed and put again, which iterates with the added entries); never modified once
     * built.
     */
    private final Map<String, Object> changes;
    private final int size;
    private volatile Values<V> valuesInOrder; // computed on first use

    private LayeredMap(Base base, Map<String, Object> changes, int size) {
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
        return entries.isEmpty() ? empty() : new LayeredMap<>(Base.of(entries.entrySet()), Map.of(), entries.size());
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
     * The values in the given order, without comparing every entry: the order of the base is
     * computed once and kept with it (bases are shared by many versions and replaced only every
     * so many changes), then this version's changes are merged in: entries removed or moved are
     * skipped, values changed in place that keep their place are swapped in, and the rest (new
     * entries, moved ones, changed ones whose place changed) are sorted and inserted by binary
     * search. A result of 200,000 entries with a few hundred changes costs a few thousand
     * comparisons and one pass over arrays, instead of a sort that touches every entry. When the
     * changes are folded into a new base, the same merge gives the new base's order, so a sort
     * happens only for the first base of a projection (after a replay or a snapshot load).
     *
     * @param order the wanted order; consistent with equals on the entries' ids
     * @return a new array of the values in that order
     */
    Object[] valuesSortedBy(Comparator<? super V> order) {
        return merge(order, false).values();
    }

    /**
     * The values in an order, and optionally where each would be in a base folded from this
     * version (base entries not removed or moved, in base order, then the added ones).
     */
    private record Merged(Object[] values, int[] foldedPositions) {
    }

    @SuppressWarnings("unchecked") // the comparator accepts every V, and only Vs are compared
    private Merged merge(Comparator<? super V> order, boolean withFoldedPositions) {
        Comparator<Object> compare = (Comparator<Object>) order;
        int[] sorted = base.sortedPositions(compare);
        Object[] baseValues = base.values;
        BitSet absent = new BitSet(baseValues.length); // removed, or moved to the end
        BitSet replaced = new BitSet(baseValues.length); // changed in place, same place in the order
        BitSet reordered = new BitSet(baseValues.length); // changed in place, other place in the order
        Map<Integer, Object> replacements = new HashMap<>();
        List<Object> inserted = new ArrayList<>(); // reordered values, then added ones in iteration order
        List<Integer> insertedFrom = new ArrayList<>(); // base position of a reordered value, or -1 - index among added
        int added = 0;
        for (Entry<String, Object> change : changes.entrySet()) {
            Object value = change.getValue();
            int position = base.positionOf(change.getKey());
            if (position < 0) {
                if (value != REMOVED) {
                    inserted.add(value instanceof Moved moved ? moved.value : value);
                    insertedFrom.add(-1 - added++);
                }
            } else if (value == REMOVED) {
                absent.set(position);
            } else if (value instanceof Moved moved) {
                absent.set(position);
                inserted.add(moved.value);
                insertedFrom.add(-1 - added++);
            } else if (compare.compare(baseValues[position], value) == 0) {
                replaced.set(position);
                replacements.put(position, value);
            } else {
                reordered.set(position);
                inserted.add(value);
                insertedFrom.add(position);
            }
        }
        int[] foldedPosition = null;
        int survivors = 0;
        if (withFoldedPositions) {
            foldedPosition = new int[baseValues.length];
            for (int position = 0; position < baseValues.length; position++) {
                if (!absent.get(position)) {
                    foldedPosition[position] = survivors++;
                }
            }
        }
        Integer[] insertOrder = new Integer[inserted.size()];
        Arrays.setAll(insertOrder, k -> k);
        Arrays.sort(insertOrder, (a, b) -> compare.compare(inserted.get(a), inserted.get(b)));
        int[] before = new int[insertOrder.length]; // the rank in the sorted base each inserted value goes before
        for (int k = 0; k < insertOrder.length; k++) {
            before[k] = upperBound(sorted, baseValues, inserted.get(insertOrder[k]), compare, k == 0 ? 0 : before[k - 1]);
        }
        Object[] out = new Object[size];
        int[] outPositions = withFoldedPositions ? new int[size] : null;
        int next = 0;
        int pending = 0;
        for (int rank = 0; rank <= sorted.length; rank++) {
            while (pending < insertOrder.length && (rank == sorted.length || before[pending] == rank)) {
                int k = insertOrder[pending++];
                if (outPositions != null) {
                    int from = insertedFrom.get(k);
                    outPositions[next] = from >= 0 ? foldedPosition[from] : survivors + (-1 - from);
                }
                out[next++] = inserted.get(k);
            }
            if (rank == sorted.length) {
                break;
            }
            int position = sorted[rank];
            if (!absent.get(position) && !reordered.get(position)) {
                if (outPositions != null) {
                    outPositions[next] = foldedPosition[position];
                }
                out[next++] = replaced.get(position) ? replacements.get(position) : baseValues[position];
            }
        }
        if (next != size) {
            throw new IllegalStateException("layered map size " + size + " but " + next + " values");
        }
        return new Merged(out, outPositions);
    }

    /** @return the first rank, from {@code from}, whose base value orders after {@code value} */
    private static int upperBound(int[] sorted, Object[] values, Object value, Comparator<Object> order, int from) {
        int low = from;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (order.compare(values[sorted[middle]], value) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
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
                return new EntryIterator<>(base, changes);
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
                added.add(moved.value);
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
    private static <V> V lookUp(Base base, Map<String, Object> changes, Object key) {
        Object changed = changes.get(key);
        if (changed != null) {
            return changed == REMOVED ? null : changed instanceof Moved moved ? (V) moved.value : (V) changed;
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
        private final Base base;
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
                    return new EntryIterator<>(base, changes);
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
                Base folded = Base.of(entrySet());
                Base.SortedPositions known = base.sortedPositions;
                if (known != null && base != Base.EMPTY) { // keep the base's order known: merging the changes costs far less than a sort
                    folded.sortedPositions = new Base.SortedPositions(known.order(),
                            new LayeredMap<V>(base, changes, size).merge(known.order(), true).foldedPositions());
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
    private record Moved(Object value) {
    }

    /**
     * Keys and values in order, and the position of each key; never modified. The positions are an
     * open-addressing table of ints over the keys array, not a {@link HashMap}: a base of 200,000
     * entries is rebuilt every few hundred changes, and while it is young every collection would
     * copy a hash map's 200,000 nodes and boxed positions (three quarters of what the simulator's
     * young collections copied, measured with JFR); an int array is copied in one piece.
     */
    private static final class Base {
        static final Base EMPTY = new Base(new String[0], new Object[0]);

        final String[] keys;
        final Object[] values;
        /** Position + 1 of the key whose probe sequence passes here, or 0 for a free slot; at most half full. */
        private final int[] slots;
        volatile SortedPositions sortedPositions; // for the order asked about last

        private Base(String[] keys, Object[] values) {
            this.keys = keys;
            this.values = values;
            this.slots = new int[keys.length == 0 ? 0 : Integer.highestOneBit(keys.length) << 2];
            int mask = slots.length - 1;
            for (int position = 0; position < keys.length; position++) {
                int slot = firstSlot(keys[position], mask);
                while (slots[slot] != 0) {
                    if (keys[slots[slot] - 1].equals(keys[position])) {
                        throw new IllegalArgumentException("duplicate key in a layered map's base: " + keys[position]);
                    }
                    slot = (slot + 1) & mask;
                }
                slots[slot] = position + 1;
            }
        }

        private static int firstSlot(Object key, int mask) {
            int hash = key.hashCode() * 0x9E3779B9; // Fibonacci hashing: spreads keys that differ in low bits
            return (hash ^ (hash >>> 16)) & mask;
        }

        /**
         * @param key any object
         * @return the key's position in {@link #keys}, or -1 if it is not a key of this base
         */
        int positionOf(Object key) {
            if (slots.length == 0 || !(key instanceof String)) {
                return -1;
            }
            int mask = slots.length - 1;
            for (int slot = firstSlot(key, mask); ; slot = (slot + 1) & mask) {
                int entry = slots[slot];
                if (entry == 0) {
                    return -1;
                }
                if (keys[entry - 1].equals(key)) {
                    return entry - 1;
                }
            }
        }

        boolean contains(Object key) {
            return positionOf(key) >= 0;
        }

        /**
         * @param order an order of the values
         * @return the positions of the values in that order; computed once for the order asked
         *         about last (a base serves one projection, so one order)
         */
        int[] sortedPositions(Comparator<Object> order) {
            if (values.length == 0) {
                return new int[0]; // EMPTY is shared by maps of every type: never remember an order on it
            }
            SortedPositions known = sortedPositions;
            if (known == null || known.order() != order) {
                known = new SortedPositions(order, sort(order));
                sortedPositions = known;
            }
            return known.positions();
        }

        private int[] sort(Comparator<Object> order) {
            int[] positions = new int[values.length];
            if (Ordered.isSorted(values, order)) { // the usual case: log order is the order
                Arrays.setAll(positions, i -> i);
                return positions;
            }
            Integer[] boxed = new Integer[values.length];
            Arrays.setAll(boxed, i -> i);
            Arrays.sort(boxed, (a, b) -> order.compare(values[a], values[b]));
            Arrays.setAll(positions, i -> boxed[i]);
            return positions;
        }

        record SortedPositions(Comparator<Object> order, int[] positions) {
        }

        static Base of(Collection<? extends Entry<String, ?>> entries) {
            String[] keys = new String[entries.size()];
            Object[] values = new Object[entries.size()];
            int position = 0;
            for (Entry<String, ?> entry : entries) {
                if (entry.getKey() == null || entry.getValue() == null) {
                    throw new NullPointerException("a layered map holds no null keys or values");
                }
                keys[position] = entry.getKey();
                values[position] = entry.getValue();
                position++;
            }
            return new Base(keys, values);
        }
    }

    /** Base entries (changed values in place, removed ones skipped), then entries added since. */
    private static final class EntryIterator<V> implements Iterator<Entry<String, V>> {
        private final Base base;
        private final Map<String, Object> changes;
        private final Iterator<Entry<String, Object>> added;
        private int position;
        private Entry<String, V> next;

        EntryIterator(Base base, Map<String, Object> changes) {
            this.base = base;
            this.changes = changes;
            this.added = changes.entrySet().iterator();
            advance();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<String, V> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry<String, V> current = next;
            advance();
            return current;
        }

        @SuppressWarnings("unchecked") // values are Vs
        private void advance() {
            while (position < base.keys.length) {
                String key = base.keys[position];
                Object value = base.values[position];
                position++;
                Object changed = changes.isEmpty() ? null : changes.get(key);
                if (changed == REMOVED || changed instanceof Moved) {
                    continue;
                }
                next = new SimpleImmutableEntry<>(key, (V) (changed != null ? changed : value));
                return;
            }
            while (added.hasNext()) {
                Entry<String, Object> change = added.next();
                Object value = change.getValue();
                if (value instanceof Moved moved) {
                    next = new SimpleImmutableEntry<>(change.getKey(), (V) moved.value);
                    return;
                }
                if (value != REMOVED && !base.contains(change.getKey())) {
                    next = new SimpleImmutableEntry<>(change.getKey(), (V) value);
                    return;
                }
            }
            next = null;
        }
    }
}
