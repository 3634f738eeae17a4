package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.InvalidLibraryInputException;
import io.dcbstore.testkit.DelegatingEventStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which boundaries are read from saved stories, and the position a resumed read appends after. */
class StoryReadsTest {
    private static final FilterItem COPY = EntityStory.BOOK_COPY.item("b-1");
    private static final FilterItem READER = EntityStory.READER.item("r-1");

    @Test
    void aBoundaryOfWholeStoriesOnlyIsReadFromItsStories() {
        assertThat(StoryReads.storiesOf(Filter.anyOf(COPY, READER)))
                .containsExactlyInAnyOrder(
                        new EntityStory.Of(EntityStory.BOOK_COPY, "b-1"),
                        new EntityStory.Of(EntityStory.READER, "r-1"));
    }

    @Test
    void aBoundaryWithAnythingElseIsReadFromTheStart() {
        assertThat(StoryReads.storiesOf(Filter.matchAll())).isNull();
        assertThat(StoryReads.storiesOf(Filter.anyOf(COPY).sequenceNumberAfter(1)))
                .isNull();
        assertThat(StoryReads.storiesOf(Filter.anyOf(COPY).occurredFrom(Instant.EPOCH)))
                .isNull();
        assertThat(StoryReads.storiesOf(Filter.anyOf(COPY).occurredUntil(Instant.EPOCH)))
                .isNull();
        assertThat(StoryReads.storiesOf(Filter.anyOf(COPY, FilterItem.types("Other"))))
                .isNull();
        // a story's types with another predicate, or its own start, are not the whole story
        assertThat(StoryReads.storiesOf(Filter.anyOf(COPY.after(3)))).isNull();
        assertThat(StoryReads.storiesOf(Filter.anyOf(FilterItem.types("BookCopyLentToReader")
                        .allOf(io.dcbstore.PayloadPredicate.eq("BookID", "b-1")))))
                .isNull();
    }

    @Test
    void aResumedReadStartsAtEachStorysSavedLastEventAndAppendsAfterTheHighestEvent() {
        StoryReads.Saved copy = new StoryReads.Saved(new EntityStory.Of(EntityStory.BOOK_COPY, "b-1"), 40, List.of());
        StoryReads.Saved reader = new StoryReads.Saved(new EntityStory.Of(EntityStory.READER, "r-1"), 70, List.of());

        assertThat(StoryReads.position(List.of(copy, reader), 0)).isEqualTo(70);
        assertThat(StoryReads.position(List.of(copy, reader), 90)).isEqualTo(90);
        assertThat(StoryReads.tailOf(List.of(copy, reader)).items())
                .containsExactlyInAnyOrder(COPY.after(39), READER.after(69));
    }

    @Test
    void aSavedStoryBelongsToTheLogOnlyWhenTheReadFindsItsLastEventAsAnEventOfTheStory() {
        StoryReads.Saved copy = new StoryReads.Saved(new EntityStory.Of(EntityStory.BOOK_COPY, "b-1"), 40, List.of());
        StoryReads.Saved never = new StoryReads.Saved(new EntityStory.Of(EntityStory.READER, "r-1"), 0, List.of());
        StoredEvent copysEvent = removed(40, "b-1");

        assertThat(StoryReads.belongToTheLog(List.of(copy, never), List.of(copysEvent)))
                .isTrue();
        // the log was replaced: position 40 is another copy's event, or not in the read at all
        assertThat(StoryReads.belongToTheLog(List.of(copy, never), List.of(removed(40, "b-2"))))
                .isFalse();
        assertThat(StoryReads.belongToTheLog(List.of(never, copy), List.of(removed(41, "b-1"))))
                .isFalse();
    }

    private static StoredEvent removed(long sequenceNumber, String bookId) {
        return new StoredEvent(
                sequenceNumber,
                "BookCopyRemovedFromCirculation",
                "{\"BookID\":\"" + bookId + "\"}",
                "{}",
                Instant.EPOCH);
    }

    /** Never called: the constructor only keeps the store. */
    @Test
    void savingAfterFewerThanOneEventIsRefused() {
        assertThatThrownBy(() -> new StoryReads(new DelegatingEventStore(null), 0))
                .isInstanceOf(InvalidLibraryInputException.class)
                .hasMessageContaining("saveAfter must be at least 1, got 0");
        assertThatThrownBy(() -> new StoryReads(null, 1))
                .isInstanceOf(InvalidLibraryInputException.class)
                .hasMessageContaining("event store");
        assertThat(new StoryReads(new DelegatingEventStore(null), 1)).isNotNull();
    }
}
