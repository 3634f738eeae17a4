package io.dcbstore.library;

import io.dcbstore.Filter;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.internal.Problems;
import java.util.List;

/**
 * Registers a reader, who may then borrow books.
 *
 * <p>Rules: a registered reader is not registered again (idempotent); a reader whose contract was
 * canceled may register again.
 *
 * @param readerId the reader
 * @param name the reader's name
 */
public record RegisterReader(ReaderId readerId, String name) implements LibraryCommand {
    /** Requires the reader id and a name; throws {@link InvalidLibraryInputException}. */
    public RegisterReader {
        new Problems().notNull("reader id", readerId).text("reader name", name).throwIfAny();
    }

    /** @return the reader's registered and canceled events */
    @Override
    public Filter boundary() {
        return Filter.anyOf(ReaderHistory.contract(readerId));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        if (ReaderHistory.of(readerId, history).registered()) {
            return Decision.idempotent("reader is already registered");
        }
        return Decision.append(new ReaderRegistered(readerId, name));
    }
}
