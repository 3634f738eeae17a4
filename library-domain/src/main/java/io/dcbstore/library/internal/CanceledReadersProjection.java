package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.CanceledReaders.Reader;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.ReaderContractCanceled;
import io.dcbstore.library.LibraryEvent.ReaderRegistered;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.Map;

/** The readers whose contract is canceled now, by reader id. */
public final class CanceledReadersProjection extends KeyedProjection<Reader> {
    /** Creates the projection. */
    public CanceledReadersProjection() {
        super(
                "library.CanceledReaders.v1",
                Filter.anyOf(FilterItem.types(ReaderRegistered.TYPE, ReaderContractCanceled.TYPE)),
                new TypeReference<>() {});
    }

    @Override
    protected void apply(Map<String, Reader> readers, RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof ReaderContractCanceled canceled) {
            readers.put(canceled.readerId().value(), new Reader(canceled.readerId(), recorded.occurredAt()));
        } else if (event instanceof ReaderRegistered registered) {
            readers.remove(registered.readerId().value());
        }
    }
}
