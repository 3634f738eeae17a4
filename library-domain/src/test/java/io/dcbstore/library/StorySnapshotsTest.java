package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.OTHER_BOOK;
import static io.dcbstore.library.LibraryFixtures.READER;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.Snapshot;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.library.internal.EntityStory;
import io.dcbstore.library.internal.StoryReads;
import io.dcbstore.testkit.DelegatingEventStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands that resume whole stories from snapshots, against PostgreSQL. */
class StorySnapshotsTest {
    private static final int SAVE_AFTER = 4;

    private EventStore real;
    private final List<Filter> reads = new CopyOnWriteArrayList<>();
    private EventStore store;
    private LibraryCommands commands;

    @BeforeEach
    void createStore() {
        real = TestStores.newStore();
        store = new DelegatingEventStore(real) {
            @Override
            public QueryResult query(Filter filter, ReadOptions options) {
                reads.add(filter);
                return super.query(filter, options);
            }
        };
        commands =
                LibraryCommands.create(store, TestStores.deterministicSettings().withStorySnapshotsAfter(SAVE_AFTER));
        commands.handle(new RegisterReader(READER, "Ada"));
        commands.handle(new AddBookCopy(BOOK, DETAILS));
        commands.handle(new AddBookCopy(OTHER_BOOK, DETAILS));
    }

    @AfterEach
    void closeStore() {
        real.close();
    }

    @Test
    void aLongStoryIsSavedAndTheNextLendReadsOnlyTheLogAfterIt() {
        for (int cycle = 0; cycle < 3; cycle++) {
            assertThat(commands.handle(new LendBookCopyToReader(BOOK, READER)).status())
                    .isEqualTo(Status.SUCCESS);
            assertThat(commands.handle(new ReturnBookCopyFromReader(BOOK, READER))
                            .status())
                    .isEqualTo(Status.SUCCESS);
        }
        // The third lend found 5 events of the copy and 5 of the reader and saved both stories, at
        // their last event (the same: the copy's return by the reader).
        Optional<Snapshot> saved = storySnapshot(EntityStory.READER.item(READER.value()));
        assertThat(saved).as("the reader's story was saved").isPresent();
        long savedAt = saved.get().sequenceNumber();
        assertThat(savedAt).isPositive();
        assertThat(storySnapshot(EntityStory.BOOK_COPY.item(BOOK.value())))
                .get()
                .extracting(Snapshot::sequenceNumber)
                .isEqualTo(savedAt);

        // The other copy has no snapshot: one read, its story from the start, the reader's from its
        // saved last event (which the read must find again, or the snapshot is not this log's).
        reads.clear();
        assertThat(commands.handle(new LendBookCopyToReader(OTHER_BOOK, READER)).status())
                .isEqualTo(Status.SUCCESS);
        assertThat(reads).hasSize(1);
        assertThat(startOf(reads.get(0), EntityStory.READER.item(READER.value())))
                .isEqualTo(savedAt - 1);
        assertThat(startOf(reads.get(0), EntityStory.BOOK_COPY.item(OTHER_BOOK.value())))
                .isZero();
        assertThat(reads.get(0).sequenceNumberAfter()).isZero();

        // Both stories of the next lend start at their snapshots' last event.
        reads.clear();
        assertThat(commands.handle(new LendBookCopyToReader(BOOK, READER)).status())
                .isEqualTo(Status.SUCCESS);
        assertThat(reads).hasSize(1);
        assertThat(startOf(reads.get(0), EntityStory.READER.item(READER.value())))
                .isEqualTo(savedAt - 1);
        assertThat(startOf(reads.get(0), EntityStory.BOOK_COPY.item(BOOK.value())))
                .isEqualTo(savedAt - 1);
    }

    @Test
    void aStoryIsSavedOnceAReadFindsExactlySaveAfterOfItsEvents() {
        // The reader's story: registered, then a lend and a return: 3 events, one short.
        commands.handle(new LendBookCopyToReader(BOOK, READER));
        commands.handle(new ReturnBookCopyFromReader(BOOK, READER));
        commands.handle(new LendBookCopyToReader(OTHER_BOOK, READER));
        Filter readerStory = Filter.anyOf(EntityStory.READER.item(READER.value()));
        assertThat(real.loadSnapshot(StoryReads.SNAPSHOT_TYPE, readerStory.hash()))
                .as("the last lend read 3 events of the reader's story")
                .isEmpty();

        // Now 4: the next read of the story saves it.
        commands.handle(new CancelReaderContract(READER));

        assertThat(real.loadSnapshot(StoryReads.SNAPSHOT_TYPE, readerStory.hash()))
                .isPresent();
    }

    @Test
    void aLendResumedFromSavedStoriesStillRefusesWhatTheWholeStoryRefuses() {
        for (int cycle = 0; cycle < 3; cycle++) {
            commands.handle(new LendBookCopyToReader(BOOK, READER));
            commands.handle(new ReturnBookCopyFromReader(BOOK, READER));
        }
        for (int loan = 0; loan < LendBookCopyToReader.MAX_BOOKS_PER_READER; loan++) {
            BookId book = BookId.of("many-" + loan);
            commands.handle(new AddBookCopy(book, DETAILS));
            assertThat(commands.handle(new LendBookCopyToReader(book, READER)).status())
                    .isEqualTo(Status.SUCCESS);
        }
        assertThat(storySnapshot(EntityStory.READER.item(READER.value()))).isPresent();
        reads.clear();

        CommandOutcome outcome = commands.handle(new LendBookCopyToReader(BOOK, READER));

        assertThat(outcome.status()).isEqualTo(Status.BUSINESS_FAILURE);
        assertThat(outcome.failureReason()).isEqualTo(FailureReason.READER_HAS_TOO_MANY_BOOKS);
        assertThat(reads).hasSize(1);
        assertThat(startOf(reads.get(0), EntityStory.READER.item(READER.value())))
                .isPositive();
    }

    @Test
    void anAppendToAResumedStoryAfterItWasReadMakesTheLendDecideAgain() {
        for (int cycle = 0; cycle < 3; cycle++) {
            commands.handle(new LendBookCopyToReader(BOOK, READER));
            commands.handle(new ReturnBookCopyFromReader(BOOK, READER));
        }
        commands.handle(new RegisterReader(ReaderId.of("other"), "Bo"));
        assertThat(storySnapshot(EntityStory.BOOK_COPY.item(BOOK.value()))).isPresent();
        // Another process lends the copy between this command's read and its append.
        EventStore interfering = new DelegatingEventStore(store) {
            private boolean once = true;

            @Override
            public QueryResult query(Filter filter, ReadOptions options) {
                QueryResult read = super.query(filter, options);
                if (once) {
                    once = false;
                    LibraryCommands.create(real, TestStores.deterministicSettings("other"))
                            .handle(new LendBookCopyToReader(BOOK, ReaderId.of("other")));
                }
                return read;
            }
        };
        LibraryCommands racing = LibraryCommands.create(
                interfering, TestStores.deterministicSettings("racing").withStorySnapshotsAfter(SAVE_AFTER));

        CommandOutcome outcome = racing.handle(new LendBookCopyToReader(BOOK, READER));

        assertThat(outcome.retries()).as("the first append's condition failed").isEqualTo(1);
        assertThat(outcome.status()).isEqualTo(Status.BUSINESS_FAILURE);
        assertThat(outcome.failureReason()).isEqualTo(FailureReason.BOOK_LENT_TO_ANOTHER_READER);
    }

    @Test
    void anUnreadableSavedStoryIsReadFromTheStartInstead() {
        Filter story = Filter.anyOf(EntityStory.READER.item(READER.value()));
        real.saveSnapshot(
                Snapshot.of(StoryReads.SNAPSHOT_TYPE, story, 1_000, "{\"events\":[{\"type\":\"Nonsense\"}]}"));
        reads.clear();

        assertThat(commands.handle(new LendBookCopyToReader(BOOK, READER)).status())
                .isEqualTo(Status.SUCCESS);
        assertThat(reads).hasSize(1);
        assertThat(startOf(reads.get(0), EntityStory.READER.item(READER.value())))
                .isZero();
    }

    /** @return where the read's item of this story started, failing when the read has none */
    private static long startOf(Filter read, io.dcbstore.FilterItem story) {
        return read.items().stream()
                .filter(item -> item.after(0).equals(story))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the read " + read + " has no item of " + story))
                .sequenceNumberAfter();
    }

    private Optional<Snapshot> storySnapshot(io.dcbstore.FilterItem item) {
        return real.loadSnapshot(StoryReads.SNAPSHOT_TYPE, Filter.anyOf(item).hash());
    }
}
