package io.dcbstore.library.internal;

import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Map.Entry;
import java.util.NoSuchElementException;

/** Base entries (changed values in place, removed ones skipped), then entries added since. */
final class LayeredEntryIterator<V> implements Iterator<Entry<String, V>> {
    private final LayeredBase base;
    private final Map<String, Object> changes;
    private final Iterator<Entry<String, Object>> added;
    private int position;
    private Entry<String, V> next;

    LayeredEntryIterator(LayeredBase base, Map<String, Object> changes) {
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
            if (changed == LayeredMap.REMOVED || changed instanceof LayeredMap.Moved) {
                continue;
            }
            next = new AbstractMap.SimpleImmutableEntry<>(key, (V) (changed != null ? changed : value));
            return;
        }
        while (added.hasNext()) {
            Entry<String, Object> change = added.next();
            Object value = change.getValue();
            if (value instanceof LayeredMap.Moved moved) {
                next = new AbstractMap.SimpleImmutableEntry<>(change.getKey(), (V) moved.value());
                return;
            }
            if (value != LayeredMap.REMOVED && !base.contains(change.getKey())) {
                next = new AbstractMap.SimpleImmutableEntry<>(change.getKey(), (V) value);
                return;
            }
        }
        next = null;
    }
}
