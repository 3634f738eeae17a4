package io.dcbstore.library.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.StoredEvent;
import io.dcbstore.library.BookDetails;
import io.dcbstore.library.BookId;
import io.dcbstore.library.CancelReaderContract;
import io.dcbstore.library.EventMetadata;
import io.dcbstore.library.LendBookCopyToReader;
import io.dcbstore.library.LibraryCommand;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyAddedToCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyRemovedFromCirculation;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.ReaderId;
import io.dcbstore.library.RecordedLibraryEvent;
import io.dcbstore.library.RemoveBookCopy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Resuming stories from snapshots decides as reading the whole log does: over random logs of
 * three copies and three readers (any order of events, not only valid ones), random snapshot
 * positions per story, and every command whose boundary is made of whole stories.
 */
class EntityStoryPropertyTest {
    private static final EventMetadata METADATA = new EventMetadata("m", "c", "c");

    /** One event of a generated log: which kind, of which copy and which reader. */
    record Step(int kind, int book, int reader) {}

    @Provide
    Arbitrary<List<Step>> logs() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 2))
                .as(Step::new);
        return step.list().ofMinSize(0).ofMaxSize(60);
    }

    @Provide
    Arbitrary<LibraryCommand> commands() {
        Arbitrary<BookId> book = Arbitraries.integers().between(0, 2).map(EntityStoryPropertyTest::book);
        Arbitrary<ReaderId> reader = Arbitraries.integers().between(0, 2).map(EntityStoryPropertyTest::reader);
        return Arbitraries.oneOf(
                Combinators.combine(book, reader).as(LendBookCopyToReader::new),
                book.map(RemoveBookCopy::new),
                reader.map(CancelReaderContract::new));
    }

    @Property(tries = 2000)
    void aCommandDecidesFromSavedStoriesAndTheTailAsFromTheWholeLog(
            @ForAll("logs") List<Step> steps,
            @ForAll("commands") LibraryCommand command,
            @ForAll List<@net.jqwik.api.constraints.IntRange(min = 0, max = 60) Integer> positions) {
        List<StoredEvent> log = log(steps);
        Filter boundary = command.boundary();
        List<EntityStory.Of> stories = StoryReads.storiesOf(boundary);
        assertThat(stories).as("lend, remove and cancel read whole stories").isNotNull();

        List<StoryReads.Saved> saved = new ArrayList<>();
        for (int i = 0; i < stories.size(); i++) {
            long savedAt = Math.min(log.size(), positions.size() > i ? positions.get(i) : 0);
            EntityStory.Of story = stories.get(i);
            List<StoredEvent> storySoFar = matching(log, Filter.anyOf(story.item()), 0, savedAt);
            List<RecordedLibraryEvent> kept = story.kind().compact(story.id(), decode(storySoFar));
            long lastEvent = storySoFar.isEmpty()
                    ? 0
                    : storySoFar.get(storySoFar.size() - 1).sequenceNumber();
            // Saved and loaded as the store would keep it: at the story's last event.
            saved.add(new StoryReads.Saved(story, lastEvent, StoryReads.read(StoryReads.write(kept))));
        }
        // The one read: each story from its own saved last event, which it must find.
        List<StoredEvent> read = matching(log, StoryReads.tailOf(saved), 0, log.size());
        assertThat(StoryReads.belongToTheLog(saved, read)).isTrue();
        List<RecordedLibraryEvent> tail = decode(read);

        List<LibraryEvent> resumed = StoryReads.merge(saved, tail).stream()
                .map(RecordedLibraryEvent::event)
                .toList();
        List<LibraryEvent> whole = decode(matching(log, boundary, 0, log.size())).stream()
                .map(RecordedLibraryEvent::event)
                .toList();
        assertThat(command.decide(resumed)).isEqualTo(command.decide(whole));
        // The append's position is a read from the start's: the boundary's highest event.
        long position = StoryReads.position(
                saved, tail.isEmpty() ? 0 : tail.get(tail.size() - 1).sequenceNumber());
        List<StoredEvent> wholeRead = matching(log, boundary, 0, log.size());
        assertThat(position)
                .isEqualTo(
                        wholeRead.isEmpty()
                                ? 0
                                : wholeRead.get(wholeRead.size() - 1).sequenceNumber());

        // Saved again after this read, each story is the one compacted from its whole story.
        for (StoryReads.Saved one : saved) {
            List<RecordedLibraryEvent> wholeStory =
                    decode(matching(log, Filter.anyOf(one.story().item()), 0, log.size()));
            // (a saved story keeps what decisions need: positions and events, not their metadata)
            assertThat(positionsAndEvents(StoryReads.advance(one, tail)))
                    .isEqualTo(positionsAndEvents(
                            one.story().kind().compact(one.story().id(), wholeStory)));
        }
    }

    @Property(tries = 500)
    void aCompactedStoryIsNoLongerThanItsOpenLoansPlusThree(@ForAll("logs") List<Step> steps) {
        List<StoredEvent> log = log(steps);
        for (int i = 0; i < 3; i++) {
            EntityStory.Of reader =
                    new EntityStory.Of(EntityStory.READER, reader(i).value());
            List<RecordedLibraryEvent> kept = reader.kind()
                    .compact(reader.id(), decode(matching(log, Filter.anyOf(reader.item()), 0, log.size())));
            // the last registration, the last contract change, one lending per copy at most
            assertThat(kept.size()).isLessThanOrEqualTo(2 + 3);
            EntityStory.Of copy = new EntityStory.Of(EntityStory.BOOK_COPY, book(i).value());
            assertThat(copy.kind()
                            .compact(copy.id(), decode(matching(log, Filter.anyOf(copy.item()), 0, log.size())))
                            .size())
                    .isLessThanOrEqualTo(3);
        }
    }

    private static List<StoredEvent> log(List<Step> steps) {
        List<StoredEvent> log = new ArrayList<>();
        for (Step step : steps) {
            BookId book = book(step.book());
            ReaderId reader = reader(step.reader());
            LibraryEvent event = switch (step.kind()) {
                case 0 ->
                    new BookCopyAddedToCirculation(
                            book, new BookDetails("isbn", "Title", "Author", "1st", "Press", 2001));
                case 1 -> new BookCopyRemovedFromCirculation(book);
                case 2 -> new ReaderRegistered(reader, "Reader");
                case 3 -> new ReaderContractCanceled(reader);
                case 4 -> new BookCopyLentToReader(book, reader);
                default -> new BookCopyReturnedByReader(book, reader);
            };
            Event encoded = LibraryEventCodec.encode(event, METADATA, Instant.EPOCH);
            log.add(new StoredEvent(
                    log.size() + 1L, encoded.type(), encoded.payload(), encoded.metadata(), encoded.occurredAt()));
        }
        return log;
    }

    /** The log's events matching the filter with a sequence number in (after, until]. */
    private static List<StoredEvent> matching(List<StoredEvent> log, Filter filter, long after, long until) {
        return log.stream()
                .filter(event -> event.sequenceNumber() > after && event.sequenceNumber() <= until)
                .filter(filter::matches)
                .toList();
    }

    private static List<String> positionsAndEvents(List<RecordedLibraryEvent> events) {
        return events.stream().map(e -> e.sequenceNumber() + " " + e.event()).toList();
    }

    private static List<RecordedLibraryEvent> decode(List<StoredEvent> events) {
        return events.stream().map(LibraryEventCodec::decode).toList();
    }

    private static BookId book(int index) {
        return new BookId("book-" + index);
    }

    private static ReaderId reader(int index) {
        return new ReaderId("reader-" + index);
    }
}
