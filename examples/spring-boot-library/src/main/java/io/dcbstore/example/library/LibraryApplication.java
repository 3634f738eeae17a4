package io.dcbstore.example.library;

import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.dcbstore.EventStore;
import io.dcbstore.library.BookId;
import io.dcbstore.library.LibraryCommands;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.library.ReaderId;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/** The application: the library's handlers on the store the starter makes. */
@SpringBootApplication
public class LibraryApplication {
    /** Created by Spring. */
    public LibraryApplication() {}

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=8081 --dcb.primary.url=...}
     */
    public static void main(String[] args) {
        SpringApplication.run(LibraryApplication.class, args);
    }

    /** @return JSON that shows book and reader ids as plain text, as the requests give them */
    @Bean
    public Jackson2ObjectMapperBuilderCustomizer identifiersAsText() {
        return json -> json.serializerByType(BookId.class, ToStringSerializer.instance)
                .serializerByType(ReaderId.class, ToStringSerializer.instance);
    }

    /**
     * @param store the event store of the starter
     * @return the command handler, shared by every request
     */
    @Bean
    public LibraryCommands libraryCommands(EventStore store) {
        return LibraryCommands.create(store);
    }

    /**
     * @param store the event store of the starter
     * @return the query handler, shared so that queries share its cache
     */
    @Bean
    public LibraryQueries libraryQueries(EventStore store) {
        return LibraryQueries.create(store);
    }
}
