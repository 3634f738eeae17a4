package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.library.BooksLentOut;
import io.dcbstore.library.FinishedLendings;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEvent.BookCopyLentToReader;
import io.dcbstore.library.LibraryEvent.BookCopyReturnedByReader;
import io.dcbstore.library.RecordedLibraryEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every finished lending, in log order of the returns. Keeps the open lendings too, to know when
 * each finished one started.
 */
public final class FinishedLendingsProjection implements Projection<FinishedLendingsProjection.State> {
    private static final Filter FILTER =
            Filter.anyOf(FilterItem.types(BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE));

    /**
     * The projection's state.
     *
     * @param open the current lendings, by book id
     * @param finished the finished lendings, in log order of their returns
     */
    public record State(Map<String, BooksLentOut.Lending> open, List<FinishedLendings.Lending> finished) {
        /** Copies both collections. */
        public State {
            open = Map.copyOf(open);
            finished = List.copyOf(finished);
        }
    }

    @Override
    public String type() {
        return "library.FinishedLendings.v1";
    }

    @Override
    public Filter filter() {
        return FILTER;
    }

    @Override
    public State initialState() {
        return new State(Map.of(), List.of());
    }

    @Override
    public State project(State from, List<RecordedLibraryEvent> events) {
        Map<String, BooksLentOut.Lending> open = new HashMap<>(from.open());
        List<FinishedLendings.Lending> finished = new ArrayList<>(from.finished());
        for (RecordedLibraryEvent recorded : events) {
            apply(open, finished, recorded);
        }
        return new State(open, finished);
    }

    private static void apply(Map<String, BooksLentOut.Lending> open, List<FinishedLendings.Lending> finished,
                              RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof BookCopyLentToReader lent) {
            open.put(lent.bookId().value(), new BooksLentOut.Lending(lent.bookId(), lent.readerId(), recorded.occurredAt()));
        } else if (event instanceof BookCopyReturnedByReader returned) {
            BooksLentOut.Lending lending = open.get(returned.bookId().value());
            if (lending != null && lending.readerId().equals(returned.readerId())) {
                open.remove(returned.bookId().value());
                finished.add(new FinishedLendings.Lending(lending.bookId(), lending.readerId(), lending.lentAt(),
                        recorded.occurredAt()));
            }
        }
    }

    @Override
    public String toJson(State state) {
        return SnapshotJson.write(state);
    }

    @Override
    public State fromJson(String json) {
        return SnapshotJson.read(json, new TypeReference<State>() { });
    }
}
