package io.dcbstore.library;

import static io.dcbstore.library.LibraryFixtures.BOOK;
import static io.dcbstore.library.LibraryFixtures.DETAILS;
import static io.dcbstore.library.LibraryFixtures.OTHER_READER;
import static io.dcbstore.library.LibraryFixtures.READER;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.EventStore;
import io.dcbstore.library.CommandOutcome.Status;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.DelegatingEventStore;
import io.dcbstore.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Attacks on story snapshots: a saved story is trusted as a summary of this log up to its
 * position, but nothing ties it to this log. A snapshots table shared by two events tables (the
 * default snapshots table is {@code event_snapshots} whatever the events table is called), or an
 * events table dropped and created again while the snapshots table is kept, hands a lend another
 * log's story and a position beyond this log's end.
 */
class StorySnapshotsAttackTest {
    private static final int SAVE_AFTER = 2;

    private static EventStore storeOn(String events, String snapshots) {
        HikariDataSource pool = TestDatabase.get().newPool(events, 4);
        return new DelegatingEventStore(
                PostgresEventStore.create(pool, PostgresStoreConfig.defaults().withTables(events, snapshots))) {
            @Override
            public void close() {
                super.close();
                pool.close();
            }
        };
    }

    /** Lends and returns the copy a few times: the copy's and the reader's stories get saved. */
    private static void longStories(EventStore store) {
        LibraryCommands commands = LibraryCommands.create(
                store, TestStores.deterministicSettings("a").withStorySnapshotsAfter(SAVE_AFTER));
        commands.handle(new RegisterReader(READER, "Ada"));
        commands.handle(new AddBookCopy(BOOK, DETAILS));
        for (int cycle = 0; cycle < 4; cycle++) {
            assertThat(commands.handle(new LendBookCopyToReader(BOOK, READER)).status())
                    .isEqualTo(Status.SUCCESS);
            assertThat(commands.handle(new ReturnBookCopyFromReader(BOOK, READER))
                            .status())
                    .isEqualTo(Status.SUCCESS);
        }
    }

    /** The copy lent to another reader: a lend of it to READER must fail. */
    private static void copyLentToAnother(EventStore store) {
        LibraryCommands plain = LibraryCommands.create(store, TestStores.deterministicSettings("b"));
        plain.handle(new RegisterReader(READER, "Ada"));
        plain.handle(new RegisterReader(OTHER_READER, "Bo"));
        plain.handle(new AddBookCopy(BOOK, DETAILS));
        assertThat(plain.handle(new LendBookCopyToReader(BOOK, OTHER_READER)).status())
                .isEqualTo(Status.SUCCESS);
    }

    private static CommandOutcome lendWithStories(EventStore store) {
        return LibraryCommands.create(
                        store, TestStores.deterministicSettings("c").withStorySnapshotsAfter(SAVE_AFTER))
                .handle(new LendBookCopyToReader(BOOK, READER));
    }

    @Test
    void twoLogsSharingASnapshotsTableDecideEachFromItsOwnLog() {
        String snapshots = TestDatabase.uniqueName("shared_snap");
        try (EventStore first = storeOn(TestDatabase.uniqueName("liba"), snapshots);
                EventStore second = storeOn(TestDatabase.uniqueName("libb"), snapshots)) {
            longStories(first);
            copyLentToAnother(second);

            CommandOutcome outcome = lendWithStories(second);

            // From its own log: the copy is lent to another reader. From the first log's saved
            // stories (position beyond the second log's end, so the tail is empty): available.
            assertThat(outcome.status()).isEqualTo(Status.BUSINESS_FAILURE);
            assertThat(outcome.failureReason()).isEqualTo(FailureReason.BOOK_LENT_TO_ANOTHER_READER);
        }
    }

    @Test
    void anEventsTableCreatedAgainWithItsSnapshotsKeptDecidesFromTheNewLog() {
        String events = TestDatabase.uniqueName("libre");
        String snapshots = events + "_snap";
        try (EventStore before = storeOn(events, snapshots)) {
            longStories(before);
        }
        // A reset of the log (the append-only trigger refuses TRUNCATE, not DROP); snapshots kept.
        TestDatabase.get().execute("DROP TABLE " + events + " CASCADE");
        try (EventStore after = storeOn(events, snapshots)) {
            copyLentToAnother(after);

            CommandOutcome outcome = lendWithStories(after);

            assertThat(outcome.status()).isEqualTo(Status.BUSINESS_FAILURE);
            assertThat(outcome.failureReason()).isEqualTo(FailureReason.BOOK_LENT_TO_ANOTHER_READER);
        }
    }

    @Test
    void aLendRacedByAnotherLendOfTheCopyFailsItsAppendEvenWhenTheSavedStoriesLieBeyondTheLog() {
        String events = TestDatabase.uniqueName("librace");
        String snapshots = events + "_snap";
        try (EventStore before = storeOn(events, snapshots)) {
            longStories(before);
        }
        TestDatabase.get().execute("DROP TABLE " + events + " CASCADE");
        try (EventStore after = storeOn(events, snapshots)) {
            // The new log's state equals the saved stories' (copy available, reader registered),
            // so the decision itself is right; only the position (beyond this log's end) is not.
            LibraryCommands plain = LibraryCommands.create(after, TestStores.deterministicSettings("b"));
            plain.handle(new RegisterReader(READER, "Ada"));
            plain.handle(new RegisterReader(OTHER_READER, "Bo"));
            plain.handle(new AddBookCopy(BOOK, DETAILS));
            // Another process lends the copy between this command's read and its append.
            EventStore interfering = new DelegatingEventStore(after) {
                private boolean once = true;

                @Override
                public io.dcbstore.QueryResult query(io.dcbstore.Filter filter, io.dcbstore.ReadOptions options) {
                    io.dcbstore.QueryResult read = super.query(filter, options);
                    if (once) {
                        once = false;
                        assertThat(LibraryCommands.create(after, TestStores.deterministicSettings("other"))
                                        .handle(new LendBookCopyToReader(BOOK, OTHER_READER))
                                        .status())
                                .isEqualTo(Status.SUCCESS);
                    }
                    return read;
                }
            };

            CommandOutcome outcome = LibraryCommands.create(
                            interfering, TestStores.deterministicSettings("c").withStorySnapshotsAfter(SAVE_AFTER))
                    .handle(new LendBookCopyToReader(BOOK, READER));

            // The saved stories lie beyond this log, so they are refused and the command reads from
            // the start, after the other lend: it decides from it at once (before the fix, it
            // appended after the saved position, past the other lend, and the copy was lent twice).
            assertThat(outcome.retries()).isLessThanOrEqualTo(1);
            assertThat(outcome.failureReason()).isEqualTo(FailureReason.BOOK_LENT_TO_ANOTHER_READER);
        }
    }
}
