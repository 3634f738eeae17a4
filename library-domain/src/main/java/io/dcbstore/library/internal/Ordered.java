package io.dcbstore.library.internal;

import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Function;

/**
 * Builds the immutable, ordered lists of the query results. The library-wide results hold up to
 * hundreds of thousands of entries and are rebuilt whenever new events arrive, so this avoids
 * touching every entry: the values of a {@link LayeredMap} state are a view of its base's order,
 * computed once per base, with the few changes since merged in as the view is read
 * ({@link LayeredMap#valuesSortedBy}); other input is copied once and sorted only when it is not
 * already in order.
 */
public final class Ordered {
    private Ordered() {}

    /**
     * Orders entries by a time, then by an id (the results' order throughout the library).
     *
     * @param <T> the entry type
     * @param time the entry's time; not null
     * @param id the entry's id; not null
     * @return the comparator
     */
    public static <T> Comparator<T> byTimeThenId(Function<T, Instant> time, Function<T, String> id) {
        return (a, b) -> {
            int byTime = time.apply(a).compareTo(time.apply(b));
            return byTime != 0 ? byTime : id.apply(a).compareTo(id.apply(b));
        };
    }

    /**
     * @param entries the entries, in any order; not modified
     * @param order the order of the result
     * @param <T> the entry type
     * @return an immutable list in that order: a copy, or for a {@link LayeredMap}'s values a view
     *     of that immutable version
     */
    @SuppressWarnings("unchecked") // the lists and the array hold only Ts
    public static <T> List<T> copyOf(Collection<? extends T> entries, Comparator<? super T> order) {
        if (entries instanceof ArrayView<?> view && view.order == order) {
            return (List<T>) view; // immutable and already in this order
        }
        if (entries instanceof OrderedValues<?> view && view.order() == order) {
            return (List<T>) view; // immutable and already in this order
        }
        if (entries instanceof LayeredValues<?> values) {
            return ((LayeredMap<T>) values.map).valuesSortedBy(order); // a view: O(changes), not O(entries)
        }
        T[] array = (T[]) entries.toArray();
        if (!isSorted(array, order)) {
            Arrays.sort(array, order);
        }
        return new ArrayView<>(array, order);
    }

    static <T> boolean isSorted(T[] array, Comparator<? super T> order) {
        for (int i = 1; i < array.length; i++) {
            if (order.compare(array[i - 1], array[i]) > 0) {
                return false;
            }
        }
        return true;
    }

    /** An immutable list over an array that nothing modifies, in a known order. */
    private static final class ArrayView<T> extends AbstractList<T> implements RandomAccess {
        private final T[] array;
        private final Comparator<?> order;

        ArrayView(T[] array, Comparator<?> order) {
            this.array = array;
            this.order = order;
        }

        @Override
        public T get(int index) {
            return array[index];
        }

        @Override
        public int size() {
            return array.length;
        }

        @Override
        public Object[] toArray() {
            return array.clone();
        }
    }
}
