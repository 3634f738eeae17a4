package io.dcbstore.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;

/**
 * Evaluates filters in memory on a payload already parsed, with the store's semantics
 * ({@code jsonb} containment of top-level scalars). For the engines, which parse a payload once and
 * match it against several filters; the API offers the same on JSON text
 * ({@link Filter#matches(io.dcbstore.StoredEvent)}, {@link FilterItem#matches(String, String)}).
 * Not part of the API.
 */
public final class Matching {
    private Matching() {}

    /**
     * Evaluates the items, each with its own sequence bound (not the filter's sequence or time
     * ranges).
     *
     * @param filter the filter
     * @param sequenceNumber the event's sequence number
     * @param type the event type
     * @param payload the parsed payload object
     * @return whether any item matches (always true for {@link Filter#matchAll()})
     */
    public static boolean matches(Filter filter, long sequenceNumber, String type, JsonNode payload) {
        if (filter.matchesEverything()) {
            return true;
        }
        for (FilterItem item : filter.items()) {
            if (sequenceNumber > item.sequenceNumberAfter() && matches(item, type, payload)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param item a filter item
     * @param type an event type
     * @param payload the parsed payload object
     * @return whether an event with this type and payload matches the item
     */
    public static boolean matches(FilterItem item, String type, JsonNode payload) {
        if (!item.eventTypes().isEmpty() && !item.eventTypes().contains(type)) {
            return false;
        }
        if (item.predicates().isEmpty()) {
            return true;
        }
        if (item.match() == FilterItem.Match.ALL_OF) {
            return item.predicates().stream().allMatch(predicate -> matches(predicate, payload));
        }
        return item.predicates().stream().anyMatch(predicate -> matches(predicate, payload));
    }

    /**
     * @param predicate a payload predicate
     * @param payload the parsed payload object
     * @return whether the payload's top-level field equals the predicate's value
     */
    public static boolean matches(PayloadPredicate predicate, JsonNode payload) {
        JsonNode field = payload.get(predicate.key());
        if (field == null) {
            return false;
        }
        String canonical = Json.canonicalScalar(field);
        return canonical != null && canonical.equals(Json.canonicalScalar(Json.scalarNode(predicate.value())));
    }
}
