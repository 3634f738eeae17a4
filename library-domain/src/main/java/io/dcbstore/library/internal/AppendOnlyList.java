package io.dcbstore.library.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable list whose versions share one backing array, so that appending a few elements to a
 * long list costs about as much as the elements. Projection states use it for lists that only grow
 * (the finished lendings).
 *
 * <p>The first version to append after a given size claims the array's free slots with a
 * compare-and-set and writes them; every other version that appends after the same size copies
 * its own elements into a new array (as it must when the array is full). A version only ever reads
 * the slots below its size, which no one writes again, so versions are safe to share between
 * threads once published.
 *
 * @param <E> the element type, immutable
 */
public final class AppendOnlyList<E> extends AbstractList<E> implements RandomAccess {
    private static final AppendOnlyList<?> EMPTY = new AppendOnlyList<>(new Storage(new Object[0], 0), 0);

    private final Storage storage;
    private final int size;

    private AppendOnlyList(Storage storage, int size) {
        this.storage = storage;
        this.size = size;
    }

    /**
     * @param <E> the element type
     * @return the empty list
     */
    @SuppressWarnings("unchecked") // holds no elements
    public static <E> AppendOnlyList<E> empty() {
        return (AppendOnlyList<E>) EMPTY;
    }

    /**
     * @param elements any list without null elements
     * @param <E> the element type
     * @return the list itself if it is an append-only list, else a copy
     */
    public static <E> AppendOnlyList<E> of(List<E> elements) {
        if (elements instanceof AppendOnlyList<E> appendOnly) {
            return appendOnly;
        }
        return AppendOnlyList.<E>empty().plus(elements);
    }

    /**
     * @param more the elements to append, in order; no nulls
     * @return a new version with the elements appended; this version is unchanged
     */
    public AppendOnlyList<E> plus(List<? extends E> more) {
        if (more.isEmpty()) {
            return this;
        }
        int newSize = size + more.size();
        if (newSize <= storage.array.length && storage.used.compareAndSet(size, newSize)) {
            write(storage.array, size, more);
            return new AppendOnlyList<>(storage, newSize);
        }
        Object[] array = new Object[Math.max(16, newSize + newSize / 2)];
        System.arraycopy(storage.array, 0, array, 0, size);
        write(array, size, more);
        return new AppendOnlyList<>(new Storage(array, newSize), newSize);
    }

    @Override
    @SuppressWarnings("unchecked") // elements are Es
    public E get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        return (E) storage.array[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        return Arrays.copyOf(storage.array, size);
    }

    private static void write(Object[] array, int from, List<?> elements) {
        int position = from;
        for (Object element : elements) {
            if (element == null) {
                throw new NullPointerException("an append-only list holds no nulls");
            }
            array[position++] = element;
        }
    }

    /** The shared array and how many of its slots some version has claimed. */
    private static final class Storage {
        final Object[] array;
        final AtomicInteger used;

        Storage(Object[] array, int used) {
            this.array = array;
            this.used = new AtomicInteger(used);
        }
    }
}
