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
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every finished lending, in log order of the returns. Keeps the open lendings too, to know when
 * each finished one started.
 */
public final class FinishedLendingsProjection implements Projection<FinishedLendingsProjection.State> {
    private static final Filter FILTER =
            Filter.anyOf(FilterItem.types(BookCopyLentToReader.TYPE, BookCopyReturnedByReader.TYPE));

    /**
     * The projection's state. Immutable; its collections share their bulk with the state they were
     * projected from ({@link LayeredMap}, {@link AppendOnlyList}), so applying a few events to a
     * long history copies little.
     *
     * @param open the current lendings, by book id
     * @param finished the finished lendings, in log order of their returns
     */
    public record State(Map<String, BooksLentOut.Lending> open, List<FinishedLendings.Lending> finished) {
        /** Keeps immutable collections as they are and copies any other. */
        public State {
            open = LayeredMap.of(Objects.requireNonNull(open, "open"));
            finished = AppendOnlyList.of(Objects.requireNonNull(finished, "finished"));
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
        return new State(LayeredMap.empty(), AppendOnlyList.empty());
    }

    @Override
    public State project(State from, List<RecordedLibraryEvent> events) {
        if (events.isEmpty()) {
            return from;
        }
        LayeredMap.Editor<BooksLentOut.Lending> open =
                LayeredMap.of(from.open()).edit();
        List<FinishedLendings.Lending> finished = new ArrayList<>();
        for (RecordedLibraryEvent recorded : events) {
            apply(open, finished, recorded);
        }
        return new State(open.build(), AppendOnlyList.of(from.finished()).plus(finished));
    }

    private static void apply(
            Map<String, BooksLentOut.Lending> open,
            List<FinishedLendings.Lending> finished,
            RecordedLibraryEvent recorded) {
        LibraryEvent event = recorded.event();
        if (event instanceof BookCopyLentToReader lent) {
            open.put(
                    lent.bookId().value(),
                    new BooksLentOut.Lending(lent.bookId(), lent.readerId(), recorded.occurredAt()));
        } else if (event instanceof BookCopyReturnedByReader returned) {
            BooksLentOut.Lending lending = open.get(returned.bookId().value());
            if (lending != null && lending.readerId().equals(returned.readerId())) {
                open.remove(returned.bookId().value());
                finished.add(new FinishedLendings.Lending(
                        lending.bookId(), lending.readerId(), lending.lentAt(), recorded.occurredAt()));
            }
        }
    }

    @Override
    public int entries(State state) {
        return state.open().size() + state.finished().size();
    }

    @Override
    public String toJson(State state) {
        return SnapshotJson.write(state);
    }

    @Override
    public State fromJson(String json) {
        return SnapshotJson.read(json, new TypeReference<State>() {});
    }
}
