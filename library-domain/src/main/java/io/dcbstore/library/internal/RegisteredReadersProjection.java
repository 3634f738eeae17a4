package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.RecordedLibraryEvent;
import io.dcbstore.library.RegisteredReaders.Reader;
import java.util.Map;

/** The readers registered now, by reader id. */
public final class RegisteredReadersProjection extends KeyedProjection<Reader> {
    /** Creates the projection. */
    public RegisteredReadersProjection() {
        super(
                "library.RegisteredReaders.v1",
                Filter.anyOf(FilterItem.types(ReaderRegistered.TYPE, ReaderContractCanceled.TYPE)),
                new TypeReference<>() {});
    }

    @Override
    protected void apply(Map<String, Reader> readers, RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof ReaderRegistered registered) {
            readers.put(
                    registered.readerId().value(),
                    new Reader(registered.readerId(), registered.name(), recorded.occurredAt()));
        } else if (event instanceof ReaderContractCanceled canceled) {
            readers.remove(canceled.readerId().value());
        }
    }
}
