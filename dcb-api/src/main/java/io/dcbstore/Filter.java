package io.dcbstore;

import io.dcbstore.internal.Json;
import io.dcbstore.internal.Matching;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Which events a query reads or an append condition guards: one or more {@link FilterItem}s
 * combined with OR, optionally narrowed to an inclusive occurred-at range and to sequence numbers
 * after a given one. Matching every event must be explicit: {@link #matchAll()}.
 *
 * <p>Filters are immutable values; items are kept sorted and distinct, and spelled one way (a number
 * without trailing zeros, one predicate under {@code ALL_OF}), so {@link #hash()} is deterministic and
 * independent of the order items and predicates were given in, and two filters are
 * {@linkplain #equals equal} exactly when their hashes are.
 *
 * <p>The bounds must be within PostgreSQL's {@code timestamptz} range (4713 BC to 294276 AD).
 * Occurred-at is compared in microseconds, the precision the store keeps: the bounds are
 * truncated to microseconds here, as an event's occurred-at is when it is appended, and
 * {@link #matches} truncates the event's too. So a bound of 12:00:00.0000015 is 12:00:00.000001,
 * and an event given as 12:00:00.0000019 is in a range ending there, in memory as in the store.
 *
 * @param items the items, OR-ed; empty only when {@code matchesEverything}
 * @param matchesEverything whether the filter matches every event (before the range restrictions)
 * @param occurredFrom inclusive lower bound of occurred-at, or {@code null}
 * @param occurredUntil inclusive upper bound of occurred-at, or {@code null}
 * @param sequenceNumberAfter only events with a greater sequence number match; 0 for all
 */
public record Filter(
        List<FilterItem> items,
        boolean matchesEverything,
        @Nullable Instant occurredFrom,
        @Nullable Instant occurredUntil,
        long sequenceNumberAfter) {
    /**
     * Validates and normalises; throws {@link InvalidInputException} listing every problem.
     *
     * @param items the items, OR-ed; empty only when {@code matchesEverything}
     * @param matchesEverything whether the filter matches every event (before the range restrictions)
     * @param occurredFrom inclusive lower bound of occurred-at, or {@code null}; truncated to microseconds
     * @param occurredUntil inclusive upper bound of occurred-at, or {@code null}; truncated to microseconds
     * @param sequenceNumberAfter only events with a greater sequence number match; 0 for all
     */
    public Filter {
        List<String> problems = new ArrayList<>();
        if (items == null) {
            throw new InvalidInputException("filter items must not be null");
        }
        Map<String, FilterItem> distinct = new TreeMap<>();
        for (FilterItem item : items) {
            if (item == null) {
                problems.add("filter item must not be null");
            } else {
                distinct.put(item.canonical(), item);
            }
        }
        // Before comparing them: a bound keeps no more than the store does, whichever is set first.
        occurredFrom = occurredFrom == null ? null : occurredFrom.truncatedTo(ChronoUnit.MICROS);
        occurredUntil = occurredUntil == null ? null : occurredUntil.truncatedTo(ChronoUnit.MICROS);
        if (matchesEverything && !distinct.isEmpty()) {
            problems.add("a match-all filter cannot also have items");
        }
        if (!matchesEverything && distinct.isEmpty() && problems.isEmpty()) {
            problems.add("filter needs at least one item; use Filter.matchAll() to read everything");
        }
        TimestampRange.check(problems, "occurredFrom", occurredFrom);
        TimestampRange.check(problems, "occurredUntil", occurredUntil);
        if (occurredFrom != null && occurredUntil != null && occurredFrom.isAfter(occurredUntil)) {
            problems.add("occurredFrom " + occurredFrom + " is after occurredUntil " + occurredUntil);
        }
        if (sequenceNumberAfter < 0) {
            problems.add("sequenceNumberAfter must not be negative, got " + sequenceNumberAfter);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        items = List.copyOf(distinct.values());
    }

    /**
     * @param items one or more items, combined with OR
     * @return a filter matching events that match any item
     */
    public static Filter anyOf(FilterItem... items) {
        if (items == null) {
            throw new InvalidInputException("filter items must not be null");
        }
        return new Filter(Arrays.asList(items), false, null, null, 0);
    }

    /** @return a filter that matches every event */
    public static Filter matchAll() {
        return new Filter(List.of(), true, null, null, 0);
    }

    /**
     * @param from the earliest occurred-at matched, inclusive
     * @return a copy that only matches events that occurred at or after {@code from}
     */
    public Filter occurredFrom(Instant from) {
        return new Filter(items, matchesEverything, from, occurredUntil, sequenceNumberAfter);
    }

    /**
     * @param until the latest occurred-at matched, inclusive
     * @return a copy that only matches events that occurred at or before {@code until}
     */
    public Filter occurredUntil(Instant until) {
        return new Filter(items, matchesEverything, occurredFrom, until, sequenceNumberAfter);
    }

    /**
     * @param after the sequence number after which events match
     * @return a copy that only matches events with a sequence number greater than {@code after}
     */
    public Filter sequenceNumberAfter(long after) {
        return new Filter(items, matchesEverything, occurredFrom, occurredUntil, after);
    }

    /**
     * Evaluates the filter in memory, with the same semantics as the store: occurred-at in
     * microseconds, as the store keeps it.
     *
     * @param event a stored event
     * @return whether the event matches
     */
    public boolean matches(StoredEvent event) {
        if (event.sequenceNumber() <= sequenceNumberAfter) {
            return false;
        }
        Instant occurredAt = event.occurredAt().truncatedTo(ChronoUnit.MICROS);
        if (occurredFrom != null && occurredAt.isBefore(occurredFrom)) {
            return false;
        }
        if (occurredUntil != null && occurredAt.isAfter(occurredUntil)) {
            return false;
        }
        return Matching.matches(
                this, event.sequenceNumber(), event.type(), Json.parseObject("payload", event.payload()));
    }

    /**
     * A deterministic hash of the filter's meaning, independent of item and predicate order; used
     * to key snapshots. Filters that differ only in order have the same hash.
     *
     * @return 64 lowercase hex characters (SHA-256)
     */
    public String hash() {
        StringBuilder text = new StringBuilder();
        FilterItem.part(text, matchesEverything ? "all" : "items");
        FilterItem.part(text, Integer.toString(items.size()));
        for (FilterItem item : items) {
            FilterItem.part(text, item.canonical());
        }
        FilterItem.part(text, String.valueOf(occurredFrom));
        FilterItem.part(text, String.valueOf(occurredUntil));
        FilterItem.part(text, Long.toString(sequenceNumberAfter));
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
