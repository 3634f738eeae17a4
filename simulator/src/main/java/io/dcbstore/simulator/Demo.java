package io.dcbstore.simulator;

import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.QueryResult;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.util.Map;

/** A short demonstration: append, query, and a refused stale append, on an embedded PostgreSQL. */
final class Demo {
    private Demo() {
    }

    static void run() {
        try (EmbeddedPostgres server = EmbeddedPostgres.start(ServerSettings.forTests());
             PostgresEventStore store = PostgresEventStore.connect(server.jdbcUrl("postgres"), EmbeddedPostgres.USER, "",
                     PostgresStoreConfig.defaults())) {
            Filter book = Filter.anyOf(FilterItem.types("BookCopyAddedToCirculation", "BookCopyLentToReader")
                    .allOf(PayloadPredicate.eq("BookID", "book-1")));
            QueryResult before = store.query(book);
            store.append(book, before.maxSequenceNumber(), Event.of("BookCopyAddedToCirculation", Map.of("BookID", "book-1", "Title", "Dune")));
            QueryResult after = store.query(book);
            System.out.printf("appended; the boundary now holds %d event(s), highest sequence %d%n", after.events().size(), after.maxSequenceNumber());
            try {
                store.append(book, before.maxSequenceNumber(), Event.of("BookCopyLentToReader", Map.of("BookID", "book-1", "ReaderID", "reader-1")));
            } catch (AppendConditionFailedException e) {
                System.out.println("a stale append was refused: " + e.getMessage());
            }
        }
    }
}
