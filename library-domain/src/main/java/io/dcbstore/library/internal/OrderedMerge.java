package io.dcbstore.library.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * Puts the values of one {@link LayeredMap} version in an order without comparing every entry. The
 * base's order is computed once and kept with the base; this version's changes are merged into
 * it: entries removed or moved are skipped, values changed in place that keep their place are
 * swapped in, and the rest (new entries, moved ones, changed ones whose place changed) are sorted
 * and inserted by binary search. It also says where each value will be in the base
 * folded from this version (base entries not removed or moved, in base order, then the added
 * ones), so a folded base starts with its order known. Folding uses it; results get the same merge
 * as a lazy view ({@link OrderedValues}), which does not copy the values.
 *
 * <p>One instance serves one merge; not thread-safe.
 */
final class OrderedMerge {
    private final LayeredBase base;
    private final int size;
    private final Comparator<Object> order;
    private final int[] sorted;
    private final BitSet absent; // removed, or moved to the end
    private final BitSet replaced = new BitSet(); // changed in place, same place in the order
    private final BitSet reordered = new BitSet(); // changed in place, other place in the order
    private final Map<Integer, Object> replacements = new HashMap<>();
    private final List<Object> inserted = new ArrayList<>(); // reordered values, then added ones in iteration order
    private final List<Integer> insertedFrom =
            new ArrayList<>(); // base position of a reordered value, or -1 - index among added

    /**
     * The values in the order, and (when asked for) each one's position in the folded base.
     *
     * @param values the values in the order
     * @param foldedPositions for each value, its position in a base folded from the version
     */
    record Merged(Object[] values, int[] foldedPositions) {}

    private OrderedMerge(LayeredBase base, Map<String, Object> changes, int size, Comparator<Object> order) {
        this.base = base;
        this.size = size;
        this.order = order;
        this.sorted = base.sortedPositions(order);
        this.absent = new BitSet(base.values.length);
        classify(changes);
    }

    /**
     * @param base the version's base
     * @param changes the version's change layer
     * @param size the version's size
     * @param order the wanted order, consistent with equals on the entries' ids
     * @return the values in the order
     */
    static Merged merge(LayeredBase base, Map<String, Object> changes, int size, Comparator<Object> order) {
        return new OrderedMerge(base, changes, size, order).weave();
    }

    private void classify(Map<String, Object> changes) {
        int added = 0;
        for (Entry<String, Object> change : changes.entrySet()) {
            Object value = change.getValue();
            int position = base.positionOf(change.getKey());
            if (position < 0) {
                if (value != LayeredMap.REMOVED) {
                    inserted.add(value instanceof LayeredMap.Moved moved ? moved.value() : value);
                    insertedFrom.add(-1 - added++);
                }
            } else if (value == LayeredMap.REMOVED) {
                absent.set(position);
            } else if (value instanceof LayeredMap.Moved moved) {
                absent.set(position);
                inserted.add(moved.value());
                insertedFrom.add(-1 - added++);
            } else if (order.compare(base.values[position], value) == 0) {
                replaced.set(position);
                replacements.put(position, value);
            } else {
                reordered.set(position);
                inserted.add(value);
                insertedFrom.add(position);
            }
        }
    }

    private Merged weave() {
        Object[] baseValues = base.values;
        int[] foldedPosition = foldedPositions();
        int survivors = baseValues.length - absent.cardinality();
        Integer[] insertOrder = new Integer[inserted.size()];
        Arrays.setAll(insertOrder, k -> k);
        Arrays.sort(insertOrder, (a, b) -> order.compare(inserted.get(a), inserted.get(b)));
        int[] before = new int[insertOrder.length]; // the rank in the sorted base each inserted value goes before
        for (int k = 0; k < insertOrder.length; k++) {
            before[k] = OrderedValues.upperBound(
                    inserted.get(insertOrder[k]), k == 0 ? 0 : before[k - 1], base.values, sorted, order);
        }
        Object[] out = new Object[size];
        int[] outPositions = new int[size];
        int next = 0;
        int pending = 0;
        for (int rank = 0; rank <= sorted.length; rank++) {
            while (pending < insertOrder.length && (rank == sorted.length || before[pending] == rank)) {
                int k = insertOrder[pending++];
                int from = insertedFrom.get(k);
                outPositions[next] = from >= 0 ? foldedPosition[from] : survivors + (-1 - from);
                out[next++] = inserted.get(k);
            }
            if (rank == sorted.length) {
                break;
            }
            int position = sorted[rank];
            if (!absent.get(position) && !reordered.get(position)) {
                outPositions[next] = foldedPosition[position];
                out[next++] = replaced.get(position) ? replacements.get(position) : baseValues[position];
            }
        }
        if (next != size) {
            throw new IllegalStateException("layered map size " + size + " but " + next + " values");
        }
        return new Merged(out, outPositions);
    }

    /** @return for each base position not removed or moved, its position in a folded base */
    private int[] foldedPositions() {
        int[] foldedPosition = new int[base.values.length];
        int survivors = 0;
        for (int position = 0; position < base.values.length; position++) {
            if (!absent.get(position)) {
                foldedPosition[position] = survivors++;
            }
        }
        return foldedPosition;
    }

    /** @return the first rank, from {@code from}, whose base value orders after {@code value} */
}
