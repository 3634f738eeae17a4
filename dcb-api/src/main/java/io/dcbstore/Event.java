package io.dcbstore;

import io.dcbstore.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An event to append: its type, payload and metadata (each a JSON object) and when it occurred.
 *
 * <p>The constructor validates everything that does not depend on the store's configuration
 * (the payload size limit is checked by the store) and reports every problem together.
 *
 * <p>An event may carry an id chosen by the client (see {@link #withId}); the store keeps ids
 * unique, so an append re-sent after an unknown outcome (the connection died after the server
 * committed) returns the first append's result instead of writing its events twice.
 *
 * @param type the event type: a letter, then letters, digits, {@code _ . : -}; at most 200 characters
 * @param payload a JSON object, as text
 * @param metadata a JSON object, as text ({@code {}} when there is none)
 * @param occurredAt when the event occurred; within PostgreSQL's {@code timestamptz} range (4713 BC
 *     to 294276 AD)
 * @param id the client-chosen id, unique in the store, or {@code null} for none
 */
public record Event(
        String type,
        String payload,
        String metadata,
        Instant occurredAt,
        @Nullable UUID id) {
    /** What an event type must look like. */
    public static final Pattern TYPE_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,199}");

    /**
     * Validates every field; throws {@link InvalidInputException} listing every problem.
     *
     * @param type the event type: a letter, then letters, digits, {@code _ . : -}; at most 200 characters
     * @param payload a JSON object, as text
     * @param metadata a JSON object, as text ({@code {}} when there is none)
     * @param occurredAt when the event occurred
     * @param id the client-chosen id, unique in the store, or {@code null} for none
     */
    public Event {
        List<String> problems = new ArrayList<>();
        if (type == null || type.isEmpty()) {
            problems.add("event type must not be null or empty");
        } else if (!isValidType(type)) {
            problems.add("event type '" + printable(type) + "' must match " + TYPE_PATTERN.pattern());
        }
        checkObject(problems, "payload", payload);
        checkObject(problems, "metadata", metadata);
        if (occurredAt == null) {
            problems.add("occurredAt must not be null");
        }
        TimestampRange.check(problems, "occurredAt", occurredAt);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * An event without an id.
     *
     * @param type the event type
     * @param payload a JSON object, as text
     * @param metadata a JSON object, as text
     * @param occurredAt when the event occurred
     */
    public Event(String type, String payload, String metadata, Instant occurredAt) {
        this(type, payload, metadata, occurredAt, null);
    }

    /**
     * An event that occurred now, with empty metadata.
     *
     * @param type the event type
     * @param payload a JSON object, as text
     * @return the event
     */
    public static Event of(String type, String payload) {
        return new Event(type, payload, "{}", Instant.now());
    }

    /**
     * An event that occurred now, with empty metadata, from a map serialised with Jackson.
     *
     * @param type the event type
     * @param payload the payload fields
     * @return the event
     */
    public static Event of(String type, Map<String, ?> payload) {
        if (payload == null) {
            throw new InvalidInputException("payload must not be null");
        }
        String json;
        try {
            json = Json.write(Json.toTree(payload));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidInputException("payload cannot be written as JSON: " + e.getMessage());
        } catch (StackOverflowError e) {
            // Jackson writes maps recursively: a map nested deeper than this thread's stack allows,
            // or one that contains itself. (A payload given as text may nest as deep as PostgreSQL accepts.)
            throw new InvalidInputException(
                    "payload cannot be written as JSON: it nests too deeply for this thread's stack,"
                            + " or refers to itself; pass the payload as JSON text instead");
        }
        return of(type, json);
    }

    /**
     * @param newMetadata the metadata, a JSON object as text
     * @return a copy with the given metadata (a JSON object as text)
     */
    public Event withMetadata(String newMetadata) {
        return new Event(type, payload, newMetadata, occurredAt, id);
    }

    /**
     * @param instant when the event occurred
     * @return a copy that occurred at the given instant
     */
    public Event withOccurredAt(Instant instant) {
        return new Event(type, payload, metadata, instant, id);
    }

    /**
     * A copy with a client-chosen id. Re-sending an append whose events carry ids that are already
     * stored, in the same order and with the same types and payloads, returns the stored append's
     * result and writes nothing; the same ids with other content fail with
     * {@link EventIdConflictException}. Either every event of an append has an id, or none has.
     *
     * @param newId the id, unique in the store; {@code null} for none
     * @return the copy
     */
    public Event withId(@Nullable UUID newId) {
        return new Event(type, payload, metadata, occurredAt, newId);
    }

    /**
     * The same check as {@link #TYPE_PATTERN}, without a regular expression (it runs on every event).
     *
     * @param type a candidate event type
     * @return whether it is valid
     */
    public static boolean isValidType(String type) {
        int length = type.length();
        if (length == 0 || length > 200 || !isAsciiLetter(type.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = type.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static void checkObject(List<String> problems, String what, String json) {
        try {
            Json.scanObject(what, json, false);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    static String printable(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return shown.replace("\0", "\\u0000");
    }
}
