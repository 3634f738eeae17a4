package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcbstore.EventStore;
import io.dcbstore.EventStoreException;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.RecordedLibraryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a command's boundary from its entities' saved stories and the log after them, instead of
 * from the start of the log: a reader with a hundred lending cycles costs the events since its
 * story was last saved, not its whole history.
 *
 * <p>A boundary qualifies when every item is one entity's whole story ({@link EntityStory}). Each
 * story's {@linkplain EntityStory#compact compacted} events are saved as a snapshot (projection
 * type {@value #SNAPSHOT_TYPE}, keyed by the story's filter) at the story's last event. A read
 * loads the boundary's snapshots and queries the boundary once, each story starting at its own
 * saved last event ({@link FilterItem#after(long)}), checks that it found each of those events
 * (or reads from the start: a snapshot of another log), and merges the saved events and the tail
 * by sequence number: the command decides from that and appends after the highest event, as after
 * a read from the start. A story whose tail had at least {@code saveAfter} of its own events
 * is saved again at the new position. Snapshots are an optimisation only: one that is missing,
 * older, or unreadable costs a longer read, never a different decision.
 */
public final class StoryReads {
    /** The snapshots' projection type. */
    public static final String SNAPSHOT_TYPE = "LibraryEntityStory";

    private static final Logger LOG = LoggerFactory.getLogger(StoryReads.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventStore store;
    private final int saveAfter;

    /**
     * @param store where the stories and the log are read, and the stories saved
     * @param saveAfter how many of a story's own events a read must find after its snapshot
     *     before the story is saved again; at least 1
     */
    public StoryReads(EventStore store, int saveAfter) {
        new Problems()
                .notNull("event store", store)
                .check(saveAfter >= 1, "saveAfter must be at least 1, got " + saveAfter)
                .throwIfAny();
        this.store = store;
        this.saveAfter = saveAfter;
    }

    /**
     * What a command decides from.
     *
     * @param history the boundary's events a decision needs, in log order
     * @param position the position to append after: every boundary event up to it is reflected
     */
    public record Read(List<LibraryEvent> history, long position) {}

    /**
     * One story as saved: its kept events, and its last event's sequence number (the snapshot's),
     * which the read starts at (not after), so that the read finds it: a snapshot of another log
     * (a shared snapshots table, an events table created again) is then told apart and not used.
     */
    record Saved(EntityStory.Of story, long position, List<RecordedLibraryEvent> kept) {}

    /**
     * @param saved the boundary's saved stories
     * @param tail what the read found
     * @return whether each saved story's last event is in the read, as an event of the story
     */
    static boolean belongToTheLog(List<Saved> saved, List<StoredEvent> tail) {
        for (Saved one : saved) {
            if (one.position() == 0) {
                continue;
            }
            FilterItem item = one.story().item();
            boolean found = false;
            for (StoredEvent event : tail) {
                if (event.sequenceNumber() == one.position() && item.matches(event.type(), event.payload())) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param boundary a command's boundary
     * @return the read, or null when the boundary is not made of whole stories only (read it from
     *     the start)
     */
    public @Nullable Read read(Filter boundary) {
        List<EntityStory.Of> stories = storiesOf(boundary);
        if (stories == null) {
            return null;
        }
        List<Saved> saved = new ArrayList<>(stories.size());
        for (EntityStory.Of story : stories) {
            saved.add(load(story));
        }
        QueryResult tail = store.query(tailOf(saved), ReadOptions.STRONG);
        if (!belongToTheLog(saved, tail.events())) {
            LOG.warn(
                    "saved stories of {} do not match the log (another log's, or the log was recreated):"
                            + " reading them from the start",
                    stories);
            return null;
        }
        List<RecordedLibraryEvent> tailEvents = new ArrayList<>(tail.events().size());
        for (StoredEvent event : tail.events()) {
            tailEvents.add(LibraryEventCodec.decode(event));
        }
        for (Saved one : saved) {
            saveIfLong(one, tail, tailEvents);
        }
        List<LibraryEvent> history = new ArrayList<>();
        for (RecordedLibraryEvent event : merge(saved, tailEvents)) {
            history.add(event.event());
        }
        return new Read(history, position(saved, tail.maxSequenceNumber()));
    }

    /**
     * @param saved the boundary's saved stories
     * @return the boundary with each story starting after its saved position: one read
     */
    static Filter tailOf(List<Saved> saved) {
        FilterItem[] items = new FilterItem[saved.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] =
                    saved.get(i).story().item().after(Math.max(0, saved.get(i).position() - 1));
        }
        return Filter.anyOf(items);
    }

    /**
     * The position a command appends after: the highest event of the boundary, as after a read
     * from the start (the read found each story's last saved event, so this is the read's own
     * highest, and never a position beyond the log).
     *
     * @param saved the boundary's saved stories
     * @param tailMax the highest sequence number the read returned (0 for none)
     * @return the position every boundary event up to which is reflected
     */
    static long position(List<Saved> saved, long tailMax) {
        long position = tailMax;
        for (Saved one : saved) {
            position = Math.max(position, one.position());
        }
        return position;
    }

    /** @return the boundary's stories, or null when it is not made of whole stories only */
    static @Nullable List<EntityStory.Of> storiesOf(Filter boundary) {
        if (boundary.matchesEverything()
                || boundary.occurredFrom() != null
                || boundary.occurredUntil() != null
                || boundary.sequenceNumberAfter() != 0) {
            return null;
        }
        List<EntityStory.Of> stories = new ArrayList<>();
        for (FilterItem item : boundary.items()) {
            Optional<EntityStory.Of> story = EntityStory.of(item);
            if (story.isEmpty()) {
                return null;
            }
            stories.add(story.get());
        }
        return stories;
    }

    /**
     * The saved stories' events and the tail, once each, in log order.
     *
     * @param saved the boundary's saved stories
     * @param tail the boundary's events, each story's after its saved position
     * @return the events to fold
     */
    static List<RecordedLibraryEvent> merge(Collection<Saved> saved, List<RecordedLibraryEvent> tail) {
        TreeMap<Long, RecordedLibraryEvent> merged = new TreeMap<>();
        for (Saved one : saved) {
            for (RecordedLibraryEvent event : one.kept()) {
                merged.put(event.sequenceNumber(), event);
            }
        }
        for (RecordedLibraryEvent event : tail) {
            merged.put(event.sequenceNumber(), event);
        }
        return List.copyOf(merged.values());
    }

    /**
     * The story as of the tail's position: its saved events and its own events in the tail.
     *
     * @param one the story as saved
     * @param tail the boundary's events, each story's after its saved position
     * @return the compacted story
     */
    static List<RecordedLibraryEvent> advance(Saved one, List<RecordedLibraryEvent> tail) {
        List<RecordedLibraryEvent> story = new ArrayList<>(one.kept());
        for (RecordedLibraryEvent event : tail) {
            if (event.sequenceNumber() > one.position()) {
                story.add(event);
            }
        }
        return one.story().kind().compact(one.story().id(), story);
    }

    private void saveIfLong(Saved one, QueryResult tail, List<RecordedLibraryEvent> tailEvents) {
        FilterItem item = one.story().item();
        int own = 0;
        long last = one.position();
        for (StoredEvent event : tail.events()) {
            // in sequence order: the story's last event is its last match
            if (event.sequenceNumber() > one.position() && item.matches(event.type(), event.payload())) {
                own++;
                last = event.sequenceNumber();
            }
        }
        if (own < saveAfter) {
            return;
        }
        try {
            store.saveSnapshot(new Snapshot(
                    SNAPSHOT_TYPE, Filter.anyOf(item).hash(), last, write(advance(one, tailEvents)), Instant.now()));
        } catch (EventStoreException e) {
            // The read itself succeeded; the next read of this story saves it.
            LOG.warn(
                    "could not save the story of {} {}: {}",
                    one.story().kind(),
                    one.story().id(),
                    e.getMessage());
        }
    }

    private Saved load(EntityStory.Of story) {
        Optional<Snapshot> snapshot =
                store.loadSnapshot(SNAPSHOT_TYPE, Filter.anyOf(story.item()).hash());
        if (snapshot.isEmpty()) {
            return new Saved(story, 0, List.of());
        }
        try {
            return new Saved(
                    story, snapshot.get().sequenceNumber(), read(snapshot.get().state()));
        } catch (RuntimeException unreadable) {
            LOG.warn(
                    "the saved story of {} {} is unreadable, reading it from the start: {}",
                    story.kind(),
                    story.id(),
                    unreadable.getMessage());
            return new Saved(story, 0, List.of());
        }
    }

    /**
     * @param kept a story's kept events
     * @return the snapshot state: {@code {"events":[{"sequence_number":..,"type":..,"payload":{..}}]}}
     */
    static String write(List<RecordedLibraryEvent> kept) {
        ObjectNode state = MAPPER.createObjectNode();
        ArrayNode events = state.putArray("events");
        for (RecordedLibraryEvent event : kept) {
            events.addObject()
                    .put("sequence_number", event.sequenceNumber())
                    .put("type", event.event().eventType())
                    .set("payload", MAPPER.valueToTree(event.event().payload()));
        }
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a story could not be written as JSON", e);
        }
    }

    /**
     * @param state a snapshot state written by {@link #write}
     * @return the kept events
     * @throws IllegalArgumentException or {@link io.dcbstore.library.UndecodableEventException}
     *     when the state is not a story
     */
    static List<RecordedLibraryEvent> read(String state) {
        JsonNode events;
        try {
            events = MAPPER.readTree(state).path("events");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (!events.isArray()) {
            throw new IllegalArgumentException("no events array");
        }
        List<RecordedLibraryEvent> kept = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            kept.add(LibraryEventCodec.decode(new StoredEvent(
                    event.path("sequence_number").asLong(),
                    event.path("type").asText(),
                    event.path("payload").toString(),
                    "{}",
                    Instant.EPOCH)));
        }
        return kept;
    }
}
