package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.List;
import java.util.Map;

/**
 * A projection whose state is a map of entries by id (book or reader id). Subclasses say how one
 * event changes the entries; this class keeps {@link #project} pure: states are immutable
 * {@link LayeredMap}s, and applying events makes a new version that shares the bulk of the old one
 * (so a large cached state is shared by concurrent queries and never copied to apply a few events).
 *
 * <p>The entries keep (nearly) the order in which they were put in: the log order of the events
 * that created them. The results order their entries by the time of those events, so this order is
 * (almost always) already theirs; {@link Ordered#copyOf} gets the results' order from the state's
 * base order plus its few changes ({@link LayeredMap#valuesSortedBy}), without a sort per result.
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
        return LayeredMap.empty();
    }

    @Override
    public Map<String, E> project(Map<String, E> from, List<RecordedLibraryEvent> events) {
        if (events.isEmpty()) {
            return from;
        }
        LayeredMap.Editor<E> entries = LayeredMap.of(from).edit();
        for (RecordedLibraryEvent event : events) {
            apply(entries, event);
        }
        return entries.build();
    }

    /**
     * Applies one event to the working copy of the entries.
     *
     * @param entries the entries by id; modify them
     * @param event the event; ignore it when it does not concern the projection
     */
    protected abstract void apply(Map<String, E> entries, RecordedLibraryEvent event);

    @Override
    public int entries(Map<String, E> state) {
        return state.size();
    }

    @Override
    public String toJson(Map<String, E> state) {
        return SnapshotJson.write(state);
    }

    @Override
    public Map<String, E> fromJson(String json) {
        return LayeredMap.of(SnapshotJson.read(json, stateType));
    }
}
