package io.dcbstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcbstore.internal.Json;
import io.dcbstore.internal.Matching;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One item of a {@link Filter}: an event matches when its type is any of {@link #eventTypes()}
 * (or the set is empty: any type) AND its payload satisfies the predicates, all of them
 * ({@link Match#ALL_OF}) or at least one ({@link Match#ANY_OF}). An item with neither types nor
 * predicates would match everything and is rejected; use {@link Filter#matchAll()} to say so.
 *
 * <p>An item may also start after a position of its own ({@link #after(long)}): a boundary whose
 * parts were saved as snapshots at different positions is then read in one query, each part from
 * where its snapshot ends.
 *
 * @param eventTypes the accepted event types, sorted; empty means any type
 * @param match how the predicates combine; {@link Match#ALL_OF} when there is one predicate or none
 * @param predicates the payload predicates, sorted and distinct; empty means no payload condition
 * @param sequenceNumberAfter only events with a greater sequence number match this item; 0 for all
 */
public record FilterItem(
        Set<String> eventTypes, Match match, List<PayloadPredicate> predicates, long sequenceNumberAfter) {
    /** How the payload predicates of an item combine. */
    public enum Match {
        /** Every predicate must hold. */
        ALL_OF,
        /** At least one predicate must hold. */
        ANY_OF
    }

    /**
     * An item of the whole log: validates and normalises (sorted, distinct) types and predicates.
     *
     * @param eventTypes the accepted event types, sorted; empty means any type
     * @param match how the predicates combine
     * @param predicates the payload predicates, sorted and distinct; empty means no payload condition
     */
    public FilterItem(Set<String> eventTypes, Match match, List<PayloadPredicate> predicates) {
        this(eventTypes, match, predicates, 0);
    }

    /**
     * Validates and normalises (sorted, distinct) types and predicates.
     *
     * @param eventTypes the accepted event types, sorted; empty means any type
     * @param match how the predicates combine
     * @param predicates the payload predicates, sorted and distinct; empty means no payload condition
     * @param sequenceNumberAfter only events with a greater sequence number match this item; 0 for all
     */
    public FilterItem {
        if (eventTypes == null || match == null || predicates == null) {
            throw new InvalidInputException("filter item: event types, match and predicates must not be null");
        }
        List<String> problems = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        for (String type : eventTypes) {
            if (type == null || type.isEmpty()) {
                problems.add("filter item: event type must not be null or empty");
            } else if (!Event.isValidType(type)) {
                problems.add("filter item: event type '" + Event.printable(type) + "' must match "
                        + Event.TYPE_PATTERN.pattern());
            } else {
                types.add(type);
            }
        }
        TreeSet<PayloadPredicate> sorted = new TreeSet<>();
        for (PayloadPredicate predicate : predicates) {
            if (predicate == null) {
                problems.add("filter item: payload predicate must not be null");
            } else {
                sorted.add(predicate);
            }
        }
        if (sequenceNumberAfter < 0) {
            problems.add("filter item: sequenceNumberAfter must not be negative, got " + sequenceNumberAfter);
        }
        if (problems.isEmpty() && types.isEmpty() && sorted.isEmpty()) {
            problems.add("filter item has neither event types nor payload predicates and would match every event;"
                    + " use Filter.matchAll() to read everything");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        eventTypes = Collections.unmodifiableSortedSet(types);
        predicates = List.copyOf(sorted);
        // One predicate or none holds alike under either match: spelled one way, so equal items are equal.
        match = predicates.size() <= 1 ? Match.ALL_OF : match;
    }

    /**
     * Starts an item that accepts any of the given event types.
     *
     * @param eventTypes one or more event types
     * @return an item without payload predicates
     */
    public static FilterItem types(String... eventTypes) {
        if (eventTypes == null) {
            throw new InvalidInputException("filter item: event types must not be null");
        }
        return new FilterItem(new TreeSet<>(nonNull(Arrays.asList(eventTypes))), Match.ALL_OF, List.of());
    }

    /**
     * @param predicates the predicates, every one of which the payload must satisfy
     * @return an item of any event type whose payload satisfies every predicate
     */
    public static FilterItem payload(PayloadPredicate... predicates) {
        return new FilterItem(Set.of(), Match.ALL_OF, predicateList(predicates));
    }

    /**
     * @param newPredicates the predicates to add
     * @return a copy whose payload must satisfy every one of the given predicates
     */
    public FilterItem allOf(PayloadPredicate... newPredicates) {
        return new FilterItem(eventTypes, Match.ALL_OF, predicateList(newPredicates), sequenceNumberAfter);
    }

    /**
     * @param newPredicates the predicates to add
     * @return a copy whose payload must satisfy at least one of the given predicates
     */
    public FilterItem anyOf(PayloadPredicate... newPredicates) {
        return new FilterItem(eventTypes, Match.ANY_OF, predicateList(newPredicates), sequenceNumberAfter);
    }

    /**
     * @param sequenceNumber the position this item's events start after; 0 for the whole log
     * @return a copy that matches only events with a greater sequence number
     */
    public FilterItem after(long sequenceNumber) {
        return new FilterItem(eventTypes, match, predicates, sequenceNumber);
    }

    /**
     * Evaluates the item's types and predicates in memory, with the same semantics as the store;
     * its {@link #sequenceNumberAfter()} is not checked here ({@link Filter#matches(StoredEvent)}
     * checks it).
     *
     * @param type an event type
     * @param payloadJson the event's payload, a JSON object
     * @return whether an event with this type and payload matches the item
     * @throws InvalidInputException when the payload is not a JSON object
     */
    public boolean matches(String type, String payloadJson) {
        JsonNode payload;
        try {
            payload = Json.parseObject("payload", payloadJson);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        return Matching.matches(this, type, payload);
    }

    /**
     * @return a canonical text, equal for items that match the same events by construction; every
     *         part is length-prefixed, so no key or value can make two different items look alike
     */
    String canonical() {
        StringBuilder text = new StringBuilder();
        part(text, "types");
        part(text, Integer.toString(eventTypes.size()));
        eventTypes.forEach(type -> part(text, type));
        part(text, match.name());
        part(text, Integer.toString(predicates.size()));
        for (PayloadPredicate predicate : predicates) {
            part(text, predicate.key());
            part(text, Json.canonicalScalar(Json.scalarNode(predicate.value())));
        }
        if (sequenceNumberAfter > 0) {
            // only then: the canonical text (and every filter hash) of an item of the whole log stays as it was
            part(text, "after");
            part(text, Long.toString(sequenceNumberAfter));
        }
        return text.toString();
    }

    /** Appends {@code length:text}. */
    static void part(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value);
    }

    private static List<PayloadPredicate> predicateList(PayloadPredicate[] predicates) {
        if (predicates == null) {
            throw new InvalidInputException("filter item: predicates must not be null");
        }
        return nonNull(Arrays.asList(predicates));
    }

    private static <T> List<T> nonNull(Collection<T> values) {
        for (T value : values) {
            if (value == null) {
                throw new InvalidInputException("filter item: null values are not allowed");
            }
        }
        return new ArrayList<>(values);
    }
}
