package io.dcbstore;

import io.dcbstore.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A saved projection state: the state (a JSON object) after applying every event of the filter
 * up to and including {@code sequenceNumber}. Keyed by projection type and filter hash.
 *
 * @param projectionType names the projection; like an event type
 * @param filterHash {@link Filter#hash()} of the filter the projection reads
 * @param sequenceNumber the highest sequence number the state reflects
 * @param state the projection state, a JSON object as text
 * @param savedAt when it was saved (set by the store on load; any value on save)
 */
public record Snapshot(
        String projectionType,
        String filterHash,
        long sequenceNumber,
        String state,
        @Nullable Instant savedAt) {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates the snapshot.
     *
     * @param projectionType names the projection; like an event type
     * @param filterHash {@link Filter#hash()} of the filter the projection reads
     * @param sequenceNumber the highest sequence number the state reflects
     * @param state the projection state, a JSON object as text
     * @param savedAt when it was saved (set by the store on load; any value on save)
     */
    public Snapshot {
        List<String> problems = new ArrayList<>();
        if (projectionType == null || !Event.isValidType(projectionType)) {
            problems.add(
                    "projection type must match " + Event.TYPE_PATTERN.pattern() + ", got '" + projectionType + "'");
        }
        if (filterHash == null || !HASH.matcher(filterHash).matches()) {
            problems.add("filter hash must be 64 lowercase hex characters (Filter.hash())");
        }
        if (sequenceNumber < 0) {
            problems.add("snapshot sequence number must not be negative, got " + sequenceNumber);
        }
        try {
            Json.scanObject("snapshot state", state, false);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * @param projectionType names the projection
     * @param filter the filter the projection reads
     * @param sequenceNumber the highest sequence number the state reflects
     * @param state a JSON object as text
     * @return the snapshot, saved now
     */
    public static Snapshot of(String projectionType, Filter filter, long sequenceNumber, String state) {
        return new Snapshot(projectionType, filter.hash(), sequenceNumber, state, Instant.now());
    }
}
