package io.dcbstore.library.internal;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.RandomAccess;

/**
 * The values of one {@link LayeredMap} version in iteration order; immutable, computed on first
 * use. {@link Ordered#copyOf} recognises it and asks its map for the values in the wanted order.
 *
 * @param <V> the entry type
 */
final class LayeredValues<V> extends AbstractList<V> implements RandomAccess {
    final LayeredMap<V> map;
    private final LayeredBase base;
    private final Map<String, Object> changes;
    private final int size;
    private volatile V[] array;

    LayeredValues(LayeredMap<V> map, LayeredBase base, Map<String, Object> changes, int size) {
        this.map = map;
        this.base = base;
        this.changes = changes;
        this.size = size;
    }

    private V[] array() {
        V[] values = array;
        if (values == null) {
            values = valuesArray();
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
        return size;
    }

    @Override
    public Object[] toArray() {
        return array().clone();
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
            } else if (value == LayeredMap.REMOVED) {
                inBase[position] = null;
            } else if (value instanceof LayeredMap.Moved moved) {
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
}
