package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A projection whose state is a map of entries by id (book or reader id). Subclasses say how one
 * event changes the entries; this class keeps {@link #project} pure by applying them to a copy.
 *
 * @param <E> the entry; an immutable record
 */
public abstract class KeyedProjection<E> implements Projection<Map<String, E>> {
    private final String type;
    private final Filter filter;
    private final TypeReference<Map<String, E>> stateType;

    /**
     * @param type the snapshot projection type, with a version
     * @param filter the events the projection reads
     * @param stateType the state's type, for reading snapshots
     */
    protected KeyedProjection(String type, Filter filter, TypeReference<Map<String, E>> stateType) {
        this.type = type;
        this.filter = filter;
        this.stateType = stateType;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Filter filter() {
        return filter;
    }

    @Override
    public Map<String, E> initialState() {
        return Map.of();
    }

    @Override
    public Map<String, E> project(Map<String, E> from, List<RecordedLibraryEvent> events) {
        Map<String, E> entries = new HashMap<>(from);
        for (RecordedLibraryEvent event : events) {
            apply(entries, event);
        }
        return Collections.unmodifiableMap(entries);
    }

    /**
     * Applies one event to the working copy of the entries.
     *
     * @param entries the entries by id; modify them
     * @param event the event; ignore it when it does not concern the projection
     */
    protected abstract void apply(Map<String, E> entries, RecordedLibraryEvent event);

    @Override
    public String toJson(Map<String, E> state) {
        return SnapshotJson.write(state);
    }

    @Override
    public Map<String, E> fromJson(String json) {
        return SnapshotJson.read(json, stateType);
    }
}
