package io.dcbstore.library;

import static io.dcbstore.PayloadPredicate.eq;

import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
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
        return Filter.anyOf(FilterItem.types(ReaderRegistered.TYPE, ReaderContractCanceled.TYPE)
                .allOf(eq(PayloadKeys.READER_ID, readerId.value())));
    }

    @Override
    public Decision decide(List<LibraryEvent> history) {
        if (isRegistered(history)) {
            return Decision.idempotent("reader is already registered");
        }
        return Decision.append(new ReaderRegistered(readerId, name));
    }

    private boolean isRegistered(List<LibraryEvent> history) {
        boolean registered = false;
        for (LibraryEvent event : history) {
            if (event instanceof ReaderRegistered registeredEvent && registeredEvent.readerId().equals(readerId)) {
                registered = true;
            } else if (event instanceof ReaderContractCanceled canceled && canceled.readerId().equals(readerId)) {
                registered = false;
            }
        }
        return registered;
    }
}
