package io.dcbstore.postgres.internal;

import io.dcbstore.Event;
import io.dcbstore.InvalidInputException;
import io.dcbstore.JsonLimits;
import io.dcbstore.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An event checked against the store's limits, with what the append needs from its payload: the
 * canonical {@code key=value} of every top-level scalar field (for lock keys).
 *
 * @param type the event type
 * @param payload the payload text
 * @param metadata the metadata text
 * @param occurredAt occurred-at in ISO-8601, truncated to microseconds as PostgreSQL stores it
 * @param scalarFields canonical {@code key NUL value} of each top-level scalar payload field
 * @param id the client-chosen id, or {@code null}
 */
record ParsedEvent(
        String type, String payload, String metadata, String occurredAt, List<String> scalarFields, UUID id) {

    /**
     * @param events the events of one append
     * @param maxPayloadBytes the store's limit
     * @param limits the store's limits on the documents' shape
     * @return the parsed events
     * @throws InvalidInputException listing every problem, before any SQL
     */
    static List<ParsedEvent> parseAll(List<Event> events, int maxPayloadBytes, JsonLimits limits) {
        if (events == null || events.isEmpty()) {
            throw new InvalidInputException("an append needs at least one event");
        }
        List<String> problems = new ArrayList<>();
        List<ParsedEvent> parsed = new ArrayList<>(events.size());
        Set<UUID> ids = new HashSet<>();
        int withoutId = 0;
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (event == null) {
                problems.add("event " + i + " is null");
                continue;
            }
            if (event.id() == null) {
                withoutId++;
            } else if (!ids.add(event.id())) {
                problems.add("event " + i + " repeats the id " + event.id() + " of an earlier event of the append");
            }
            checkSize(problems, i, "payload", event.payload(), maxPayloadBytes);
            checkSize(problems, i, "metadata", event.metadata(), maxPayloadBytes);
            try {
                if (!limits.equals(JsonLimits.POSTGRESQL)) {
                    // Event checked PostgreSQL's limits; a store with lower ones checks its own.
                    Json.scanObject("metadata", event.metadata(), false, limits);
                }
                parsed.add(new ParsedEvent(
                        event.type(),
                        event.payload(),
                        event.metadata(),
                        TimestampText.of(event.occurredAt()),
                        Json.scanObject("payload", event.payload(), true, limits),
                        event.id()));
            } catch (IllegalArgumentException e) {
                problems.add("event " + i + ": " + e.getMessage());
            }
        }
        if (withoutId > 0 && !ids.isEmpty()) {
            problems.add("either every event of an append has an id or none has: " + withoutId + " of " + events.size()
                    + " have none (a re-sent append could not be recognised by them)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return parsed;
    }

    private static void checkSize(List<String> problems, int index, String what, String json, int max) {
        if (json.length() > max || json.getBytes(StandardCharsets.UTF_8).length > max) {
            problems.add("event " + index + " " + what + " is larger than the limit of " + max + " bytes");
        }
    }
}
