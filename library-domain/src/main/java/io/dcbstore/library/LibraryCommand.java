package io.dcbstore.library;

import io.dcbstore.Filter;
import java.util.List;

/**
 * A command to the library. Each command is a record that knows the two halves of a DCB decision:
 * the {@linkplain #boundary() boundary} it depends on, and a pure {@linkplain #decide decide}
 * function. {@link LibraryCommands} does the rest: query the boundary, decide, append with the
 * same boundary as the condition, retry on concurrency conflicts.
 */
public sealed interface LibraryCommand
        permits AddBookCopy,
                RemoveBookCopy,
                RegisterReader,
                CancelReaderContract,
                LendBookCopyToReader,
                ReturnBookCopyFromReader {

    /**
     * The consistency boundary: every event type and entity the decision depends on, and nothing
     * else (in particular, no failure events: they never change a decision). Used both to query
     * and as the append condition, so an event appended in between that could change the decision
     * makes the append fail.
     *
     * @return the boundary filter
     */
    Filter boundary();

    /**
     * Decides, without side effects, what the command does given the events of its boundary.
     *
     * @param history the boundary's events, oldest first; events of other entities are ignored
     * @return the decision
     */
    Decision decide(List<LibraryEvent> history);
}
