package io.dcbstore.library.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map.Entry;

/**
 * Keys and values in order, and the position of each key; never modified. The positions are an
 * open-addressing table of ints over the keys array, not a {@link HashMap}: a base of 200,000
 * entries is rebuilt every few hundred changes, and while it is young every collection would
 * copy a hash map's 200,000 nodes and boxed positions (three quarters of what the simulator's
 * young collections copied, measured with JFR); an int array is copied in one piece.
 */
final class LayeredBase {
    static final LayeredBase EMPTY = new LayeredBase(new String[0], new Object[0]);

    final String[] keys;
    final Object[] values;
    /** Position + 1 of the key whose probe sequence passes here, or 0 for a free slot; at most half full. */
    private final int[] slots;

    volatile SortedPositions sortedPositions; // for the order asked about last

    private LayeredBase(String[] keys, Object[] values) {
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
        return sortedBy(order).positions();
    }

    /**
     * @param order an order of the values
     * @return the positions of the values in that order, and each position's rank in it; computed
     *         once for the order asked about last (a base serves one projection, so one order)
     */
    SortedPositions sortedBy(Comparator<Object> order) {
        if (values.length == 0) { // EMPTY is shared by maps of every type: never remember an order on it
            return new SortedPositions(order, new int[0]);
        }
        SortedPositions known = sortedPositions;
        if (known == null || known.order() != order) {
            known = new SortedPositions(order, sort(order));
            sortedPositions = known;
        }
        return known;
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

    /**
     * A base's values in an order, and its inverse; neither array is modified once made.
     *
     * @param order the order
     * @param positions the position in the base of the value at each rank in the order
     * @param ranks the rank in the order of the value at each position in the base
     */
    record SortedPositions(Comparator<Object> order, int[] positions, int[] ranks) {
        SortedPositions(Comparator<Object> order, int[] positions) {
            this(order, positions, inverse(positions));
        }

        private static int[] inverse(int[] positions) {
            int rank = 0;
            while (rank < positions.length && positions[rank] == rank) {
                rank++;
            }
            if (rank == positions.length) {
                return positions; // the usual case, the base is in the order: its own inverse, shared
            }
            int[] ranks = new int[positions.length];
            for (rank = 0; rank < positions.length; rank++) {
                ranks[positions[rank]] = rank;
            }
            return ranks;
        }
    }

    static LayeredBase of(Collection<? extends Entry<String, ?>> entries) {
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
        return new LayeredBase(keys, values);
    }
}
