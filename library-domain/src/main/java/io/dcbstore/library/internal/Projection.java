package io.dcbstore.library.internal;

import io.dcbstore.Filter;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.List;

/**
 * A read model built by folding events, as pure functions: it can start from any earlier state
 * (a snapshot) and apply only the events after it, with the same result as a full replay.
 *
 * @param <S> the state; immutable
 */
public interface Projection<S> {
    /** @return the snapshot key's projection type; includes a version, bumped when the state's JSON changes */
    String type();

    /** @return the events the projection reads, without a sequence number restriction; keys its snapshot */
    Filter filter();

    /** @return the state before any event */
    S initialState();

    /**
     * @param from a state (not modified)
     * @param events the events after it, in log order
     * @return the state after applying them
     */
    S project(S from, List<RecordedLibraryEvent> events);

    /**
     * The size of a state, in entries. A store snapshot is saved only after at least as many new
     * events as the state has entries, so that writing it (which costs in proportion to the state)
     * is spread over as many events: a projection of 200,000 copies is not written out every few
     * thousand events.
     *
     * @param state a state
     * @return its number of entries; 0 when saving should depend on the event count alone
     */
    default int entries(S state) {
        return 0;
    }

    /**
     * Whether store snapshots are worth it for this projection: a projection of one entity (one
     * reader's loans) reads only that entity's few events, and loading its snapshot would be a
     * round trip of its own, costing as much as the events it saves (measured: 60,840 snapshot
     * loads and no hit in a 10-minute simulation). Such projections rely on the memory cache.
     *
     * @return whether to load and save store snapshots
     */
    default boolean usesStoreSnapshots() {
        return true;
    }

    /**
     * @param state a state
     * @return the state as a JSON object, for a snapshot
     */
    String toJson(S state);

    /**
     * @param json a snapshot's state
     * @return the state
     * @throws IllegalArgumentException if the JSON is not a state of this projection
     */
    S fromJson(String json);
}
