package io.dcbstore.library.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.dcbstore.library.BookId;
import io.dcbstore.library.ReaderId;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Function;

/**
 * Writes and reads projection states as JSON for snapshots: records as objects, ids and instants
 * as strings. Thread-safe.
 */
final class SnapshotJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("library-snapshots")
                    .addSerializer(BookId.class, asString(BookId::value))
                    .addDeserializer(BookId.class, fromString(BookId::new))
                    .addSerializer(ReaderId.class, asString(ReaderId::value))
                    .addDeserializer(ReaderId.class, fromString(ReaderId::new))
                    .addSerializer(Instant.class, asString(Instant::toString))
                    .addDeserializer(Instant.class, fromString(Instant::parse)));

    private SnapshotJson() {}

    static String write(Object state) {
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a projection state could not be written as JSON", e);
        }
    }

    static <S> S read(String json, TypeReference<S> type) {
        try {
            S state = MAPPER.readValue(json, type);
            if (state == null) {
                throw new IllegalArgumentException("snapshot state is null");
            }
            return state;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "snapshot state is not a state of this projection: " + e.getMessage(), e);
        }
    }

    private static <T> JsonSerializer<T> asString(Function<T, String> text) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(text.apply(value));
            }
        };
    }

    private static <T> JsonDeserializer<T> fromString(Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return parse.apply(parser.getValueAsString());
            }
        };
    }
}
