package io.dcbstore.library.internal;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Spliterator;
import java.util.Spliterators;

/**
 * The values of one {@link LayeredMap} version in an order, as an immutable list that merges its
 * base's order with the version's changes on demand instead of copying every value. The base's
 * order (and its inverse) is computed once per base and shared by every version built on it, so a
 * new list costs O(k log n) for k changes on a base of n entries, not O(n): the library-wide
 * results are rebuilt whenever new events arrive, and with millions of entries a copy per result
 * was most of a query's cost.
 *
 * <p>The list is the base's values in the base's order, leaving out the ranks of entries removed,
 * moved (removed and put again) or changed to another place in the order, with the values changed
 * in place that keep their place swapped in; and the inserted values (new entries, moved ones,
 * changed ones whose place changed), sorted, each at the place a binary search in the base's order
 * gives it. That is exactly what {@link OrderedMerge} puts in an array.
 *
 * <p>{@link #get} costs O(log k) (binary searches in arrays of at most k ints), iteration O(n) in
 * all, {@link #toArray()} copies. Every field is final and no array is modified after the
 * constructor, so a published list is safe to share between threads.
 *
 * @param <V> the value type
 */
final class OrderedValues<V> extends AbstractList<V> implements RandomAccess {
    private final Comparator<?> order;
    private final Object[] baseValues; // the base's, never modified
    private final int[] sorted; // the base position at each rank in the order; the base's, never modified
    private final int[] skipped; // ranks left out (removed, moved, reordered), ascending
    private final int[] replacedRanks; // ranks whose value changed in place, ascending
    private final Object[] replacements; // the new value at each of those ranks
    private final Object[] inserted; // the values merged in, in the order
    private final int[] insertedAt; // the index of each inserted value in this list, ascending
    private final int size;

    private OrderedValues(LayeredBase base, Map<String, Object> changes, int size, Comparator<Object> order) {
        LayeredBase.SortedPositions known = base.sortedBy(order);
        Classified classified = new Classified(base, known.ranks(), changes, order);
        this.order = order;
        this.baseValues = base.values;
        this.sorted = known.positions();
        this.skipped = classified.skipped();
        long[] replaced = classified.replaced();
        this.replacedRanks = new int[replaced.length];
        this.replacements = new Object[replaced.length];
        for (int index = 0; index < replaced.length; index++) {
            replacedRanks[index] = (int) (replaced[index] >>> 32);
            replacements[index] = classified.replacedValues[(int) replaced[index]];
        }
        this.inserted = classified.inserted.toArray();
        Arrays.sort(inserted, order); // stable: equal values keep the changes' order, as in OrderedMerge
        this.insertedAt = placesOf(inserted, baseValues, sorted, skipped, order);
        this.size = size;
        int merged = baseValues.length - skipped.length + inserted.length;
        if (size != merged) {
            throw new IllegalStateException("layered map size " + size + " but " + merged + " values");
        }
    }

    /**
     * @param base the version's base
     * @param changes the version's change layer
     * @param size the version's size
     * @param order the wanted order, consistent with equals on the entries' ids
     * @param <V> the value type
     * @return the version's values in the order
     * @throws IllegalStateException if the size does not match the base and the changes
     */
    static <V> OrderedValues<V> of(LayeredBase base, Map<String, Object> changes, int size, Comparator<Object> order) {
        return new OrderedValues<>(base, changes, size, order);
    }

    /** @return the index in the list of each inserted value: after the base ranks that order before or with it */
    private static int[] placesOf(
            Object[] inserted, Object[] values, int[] sorted, int[] skipped, Comparator<Object> order) {
        int[] insertedAt = new int[inserted.length];
        int before = 0; // the rank in the base's order the inserted value goes before
        for (int index = 0; index < inserted.length; index++) {
            before = upperBound(inserted[index], before, values, sorted, order);
            insertedAt[index] = before - lessThan(skipped, before) + index;
        }
        return insertedAt;
    }

    /** @return the first rank, from {@code from}, whose base value orders after {@code value} */
    static int upperBound(Object value, int from, Object[] values, int[] sorted, Comparator<Object> order) {
        int high = sorted.length;
        if (from == high || order.compare(values[sorted[high - 1]], value) <= 0) {
            return high; // the usual case: entries put in since the base order after all of it
        }
        int low = from;
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

    /** @return how many of the ascending, distinct {@code ints} are less than {@code bound} */
    private static int lessThan(int[] ints, int bound) {
        int found = Arrays.binarySearch(ints, bound);
        return found >= 0 ? found : -1 - found;
    }

    /** @return the order the values are in; {@link Ordered#copyOf} returns this list as is for it */
    Comparator<?> order() {
        return order;
    }

    @Override
    @SuppressWarnings("unchecked") // values are Vs
    public V get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        int found = Arrays.binarySearch(insertedAt, index);
        if (found >= 0) {
            return (V) inserted[found];
        }
        int fromBase = index - (-1 - found); // the index among the base values left in
        return (V) baseValueAt(rankOf(fromBase));
    }

    /** @return the rank of the base value left in with the given index among those left in */
    private int rankOf(int fromBase) {
        // The skipped rank at q has skipped[q] - q base values left in before it, a non-decreasing
        // count: the wanted rank is fromBase plus the number of skipped ranks whose count is at most fromBase.
        int low = 0;
        int high = skipped.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (skipped[middle] - middle <= fromBase) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return fromBase + low;
    }

    private Object baseValueAt(int rank) {
        int replaced = Arrays.binarySearch(replacedRanks, rank);
        return replaced >= 0 ? replacements[replaced] : baseValues[sorted[rank]];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Iterator<V> iterator() {
        return new Merging();
    }

    @Override
    public Spliterator<V> spliterator() {
        return Spliterators.spliterator(
                this, Spliterator.ORDERED | Spliterator.IMMUTABLE | Spliterator.NONNULL); // by the iterator
    }

    @Override
    public Object[] toArray() {
        Object[] array = new Object[size];
        int index = 0;
        for (V value : this) {
            array[index++] = value;
        }
        return array;
    }

    /** Walks the base's order once, skipping and swapping as it goes, with the inserted values at their places. */
    private final class Merging implements Iterator<V> {
        private int next; // index in the list
        private int rank; // the next rank in the base's order
        private int nextInserted;
        private int nextSkipped;
        private int nextReplaced;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        @SuppressWarnings("unchecked") // values are Vs
        public V next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            if (nextInserted < inserted.length && insertedAt[nextInserted] == next) {
                next++;
                return (V) inserted[nextInserted++];
            }
            while (nextSkipped < skipped.length && skipped[nextSkipped] == rank) {
                nextSkipped++;
                rank++;
            }
            next++;
            int current = rank++;
            if (nextReplaced < replacedRanks.length && replacedRanks[nextReplaced] == current) {
                return (V) replacements[nextReplaced++];
            }
            return (V) baseValues[sorted[current]];
        }
    }

    /** The changes of one version sorted out against its base, as OrderedMerge does; used while constructing. */
    private static final class Classified {
        private final int[] skipped; // ranks, in the changes' order
        private int skippedCount;
        private final long[] replaced; // rank << 32 | index in replacedValues
        private final Object[] replacedValues;
        private int replacedCount;
        private final List<Object> inserted = new ArrayList<>(); // in the changes' order

        Classified(LayeredBase base, int[] ranks, Map<String, Object> changes, Comparator<Object> order) {
            skipped = new int[changes.size()];
            replaced = new long[changes.size()];
            replacedValues = new Object[changes.size()];
            for (Entry<String, Object> change : changes.entrySet()) {
                Object value = change.getValue();
                int position = base.positionOf(change.getKey());
                if (position < 0) {
                    if (value != LayeredMap.REMOVED) {
                        inserted.add(value instanceof LayeredMap.Moved moved ? moved.value() : value);
                    }
                } else if (value == LayeredMap.REMOVED) {
                    skipped[skippedCount++] = ranks[position];
                } else if (value instanceof LayeredMap.Moved moved) {
                    skipped[skippedCount++] = ranks[position];
                    inserted.add(moved.value());
                } else if (order.compare(base.values[position], value) == 0) {
                    replaced[replacedCount] = (long) ranks[position] << 32 | replacedCount;
                    replacedValues[replacedCount++] = value;
                } else {
                    skipped[skippedCount++] = ranks[position];
                    inserted.add(value);
                }
            }
        }

        /** @return the ranks left out, ascending */
        int[] skipped() {
            int[] ascending = Arrays.copyOf(skipped, skippedCount);
            Arrays.sort(ascending);
            return ascending;
        }

        /** @return the ranks changed in place, each with the index of its value, by rank */
        long[] replaced() {
            long[] byRank = Arrays.copyOf(replaced, replacedCount);
            Arrays.sort(byRank);
            return byRank;
        }
    }
}
