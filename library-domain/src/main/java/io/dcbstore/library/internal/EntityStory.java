package io.dcbstore.library.internal;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.PayloadKeys;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The whole story of one entity (a book copy: added, removed, lent, returned; a reader:
 * registered, canceled, lent, returned), and how to shorten it without changing what any command
 * decides from it.
 *
 * <p>Every fold of a story is "last writer wins" per key: a copy's circulation (added, removed)
 * and its borrower (lent, returned); a reader's contract (registered, canceled) and each copy on
 * loan (lent, returned, per copy); plus whether the entity was ever added or registered. The
 * {@linkplain #compact compacted} story keeps, from the log, the last event of every key (a
 * reader's returned loan is dropped: its key then has no writer, as before the copy was lent) and
 * the last add or registration. It is a subsequence of the log in log order, so compacted stories of
 * different entities and the log's events after them can be merged by sequence number and folded
 * as the whole log would be ({@code EntityStoryPropertyTest} checks every command against it).
 */
public enum EntityStory {
    /** A book copy's story, keyed by its {@value PayloadKeys#BOOK_ID}. */
    BOOK_COPY(
            PayloadKeys.BOOK_ID,
            Set.of(
                    BookCopyAddedToCirculation.TYPE,
                    BookCopyRemovedFromCirculation.TYPE,
                    BookCopyLentToReader.TYPE,
                    BookCopyReturnedByReader.TYPE)),
    /** A reader's story, keyed by its {@value PayloadKeys#READER_ID}. */
    READER(
            PayloadKeys.READER_ID,
            Set.of(
                    ReaderRegistered.TYPE,
                    ReaderContractCanceled.TYPE,
                    BookCopyLentToReader.TYPE,
                    BookCopyReturnedByReader.TYPE));

    private final String idKey;
    private final Set<String> types;

    EntityStory(String idKey, Set<String> types) {
        this.idKey = idKey;
        this.types = types;
    }

    /** One entity's story: which kind, and whose. */
    public record Of(EntityStory kind, String id) {
        /** @return the filter item that matches exactly this story's events */
        public FilterItem item() {
            return kind.item(id);
        }
    }

    /**
     * @param id the entity's id
     * @return the filter item of the entity's whole story
     */
    public FilterItem item(String id) {
        return FilterItem.types(types.toArray(String[]::new)).allOf(eq(idKey, id));
    }

    /**
     * @param item a filter item of a boundary
     * @return whose whole story the item is, if it is exactly one entity's whole story
     */
    public static Optional<Of> of(FilterItem item) {
        if (item.predicates().size() != 1) {
            return Optional.empty();
        }
        PayloadPredicate only = item.predicates().get(0);
        for (EntityStory kind : values()) {
            if (only.key().equals(kind.idKey) && only.value() instanceof String id && item.equals(kind.item(id))) {
                return Optional.of(new Of(kind, id));
            }
        }
        return Optional.empty();
    }

    /**
     * Shortens one entity's story to the events every fold of it still needs.
     *
     * @param id the entity's id
     * @param story events in log order; events of other entities are ignored
     * @return the kept events, in log order
     */
    public List<RecordedLibraryEvent> compact(String id, List<RecordedLibraryEvent> story) {
        Map<String, RecordedLibraryEvent> lastWriter = new HashMap<>();
        RecordedLibraryEvent lastBirth = null;
        for (RecordedLibraryEvent recorded : story) {
            String key = key(id, recorded.event());
            if (key != null) {
                lastWriter.put(key, recorded);
                if (recorded.event() instanceof BookCopyAddedToCirculation
                        || recorded.event() instanceof ReaderRegistered) {
                    lastBirth = recorded;
                }
            }
        }
        TreeMap<Long, RecordedLibraryEvent> kept = new TreeMap<>();
        if (lastBirth != null) {
            kept.put(lastBirth.sequenceNumber(), lastBirth);
        }
        for (RecordedLibraryEvent writer : lastWriter.values()) {
            // A reader's returned loan is dropped, or its story would grow with every copy it ever
            // borrowed. A copy's last return is kept: it also ends a lending by another reader.
            if (this == BOOK_COPY || !(writer.event() instanceof BookCopyReturnedByReader)) {
                kept.put(writer.sequenceNumber(), writer);
            }
        }
        return List.copyOf(kept.values());
    }

    /** The key an event of this entity writes, or null when the event is not about this entity. */
    private String key(String id, LibraryEvent event) {
        if (this == BOOK_COPY) {
            if (event instanceof BookCopyAddedToCirculation added
                            && added.bookId().value().equals(id)
                    || event instanceof BookCopyRemovedFromCirculation removed
                            && removed.bookId().value().equals(id)) {
                return "circulation";
            }
            if (event instanceof BookCopyLentToReader lent
                            && lent.bookId().value().equals(id)
                    || event instanceof BookCopyReturnedByReader returned
                            && returned.bookId().value().equals(id)) {
                return "borrower";
            }
            return null;
        }
        if (event instanceof ReaderRegistered registered
                        && registered.readerId().value().equals(id)
                || event instanceof ReaderContractCanceled canceled
                        && canceled.readerId().value().equals(id)) {
            return "contract";
        }
        if (event instanceof BookCopyLentToReader lent
                && lent.readerId().value().equals(id)) {
            return "loan:" + lent.bookId().value();
        }
        if (event instanceof BookCopyReturnedByReader returned
                && returned.readerId().value().equals(id)) {
            return "loan:" + returned.bookId().value();
        }
        return null;
    }
}
