package io.dcbstore.postgres.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.PayloadPredicate;
import io.dcbstore.internal.Json;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL condition of a {@link Filter}, with its parameters. Every value is a bind parameter;
 * only the shape (how many items, which kinds of condition) is in the SQL text, so the number of
 * distinct statements stays small and prepared plans are reused.
 *
 * <p>Shapes: types {@code event_type = ANY(?::text[])}; ALL_OF predicates one containment document
 * {@code payload @> ?::jsonb}; ANY_OF predicates one containment per predicate, OR-ed, which
 * PostgreSQL runs as a BitmapOr of GIN scans. ({@code payload @> ANY(?::jsonb[])} would make fewer
 * shapes, but its generic plan assumes ten elements, estimates ten times the rows, and at a
 * million events walks the primary key in order instead: 60 ms instead of 0.2 ms, measured.)
 *
 * @param sql the condition, without {@code WHERE}; {@code TRUE} for match-all
 * @param params the parameter values in order: {@code String}, {@code String[]} (text array),
 *               {@code Long} or {@code java.time.Instant}
 * @param genericPlanIsSafe whether a generic plan is as good as a custom one: every item has
 *                          payload predicates (answered by the GIN index) and there is no range
 * @param keyBounded whether every item names an indexed key, so that a range of sequence numbers
 *                   narrows each item's index scan (without, a generic plan would build a bitmap
 *                   of the primary key over the whole range)
 */
record WhereClause(String sql, List<Object> params, boolean genericPlanIsSafe, boolean keyBounded) {

    /**
     * @param filter the filter
     * @param withRanges whether to include the occurred-at and sequence restrictions
     * @return its condition
     */
    static WhereClause of(Filter filter, boolean withRanges) {
        return of(filter, withRanges, List.of());
    }

    /**
     * @param filter the filter
     * @param withRanges whether to include the occurred-at and sequence restrictions
     * @param indexedKeys payload keys with an index on {@code (payload ->> key, sequence_number)}
     *     ({@link io.dcbstore.postgres.PostgresStoreConfig#indexedKeys()}, validated there: letters,
     *     digits and _ only, so they may be written into the statement as literals)
     * @return its condition
     */
    static WhereClause of(Filter filter, boolean withRanges, List<String> indexedKeys) {
        List<Object> params = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (FilterItem item : filter.items()) {
            items.add(item(item, params, indexedKeys));
        }
        StringBuilder sql = new StringBuilder(
                filter.matchesEverything()
                        ? "TRUE"
                        : items.size() == 1 ? items.get(0) : "(" + String.join(" OR ", items) + ")");
        if (withRanges) {
            if (filter.occurredFrom() != null) {
                sql.append(" AND occurred_at >= ?::timestamptz");
                params.add(filter.occurredFrom());
            }
            if (filter.occurredUntil() != null) {
                sql.append(" AND occurred_at <= ?::timestamptz");
                params.add(filter.occurredUntil());
            }
            if (filter.sequenceNumberAfter() > 0) {
                sql.append(" AND sequence_number > ?");
                params.add(filter.sequenceNumberAfter());
            }
        }
        boolean ranged = withRanges
                        && (filter.occurredFrom() != null
                                || filter.occurredUntil() != null
                                || filter.sequenceNumberAfter() > 0)
                || filter.items().stream().anyMatch(item -> item.sequenceNumberAfter() > 0);
        boolean predicatesEverywhere = !filter.matchesEverything()
                && filter.items().stream().allMatch(item -> !item.predicates().isEmpty());
        boolean keyBounded = !filter.matchesEverything()
                && filter.items().stream().allMatch(item -> keyCondition(item, indexedKeys));
        return new WhereClause(sql.toString(), List.copyOf(params), predicatesEverywhere && !ranged, keyBounded);
    }

    /** Whether the item's events are found through an indexed key's index (in sequence order). */
    private static boolean keyCondition(FilterItem item, List<String> indexedKeys) {
        return item.match() == FilterItem.Match.ALL_OF
                && item.predicates().stream()
                        .anyMatch(predicate ->
                                predicate.value() instanceof String && indexedKeys.contains(predicate.key()));
    }

    private static String item(FilterItem item, List<Object> params, List<String> indexedKeys) {
        List<String> parts = new ArrayList<>();
        if (!item.eventTypes().isEmpty()) {
            parts.add("event_type = ANY(?::text[])");
            params.add(item.eventTypes().toArray(new String[0]));
        }
        List<PayloadPredicate> predicates = item.predicates();
        if (!predicates.isEmpty() && item.match() == FilterItem.Match.ALL_OF) {
            for (ObjectNode document : allOfDocuments(predicates)) {
                parts.add("payload @> ?::jsonb");
                params.add(Json.write(document));
            }
            for (PayloadPredicate predicate : predicates) {
                // Implied by the containment (a string value at the key, or no match), so the
                // events are the same; written out so the key's index can find them in order.
                if (predicate.value() instanceof String text && indexedKeys.contains(predicate.key())) {
                    parts.add(keyExpression(predicate.key()) + " = left(?, " + KEY_PREFIX + ")");
                    params.add(text);
                }
            }
        } else if (!predicates.isEmpty()) {
            List<String> alternatives = new ArrayList<>();
            for (PayloadPredicate predicate : predicates) {
                alternatives.add("payload @> ?::jsonb");
                params.add(Json.write(document(predicate)));
            }
            parts.add("(" + String.join(" OR ", alternatives) + ")");
        }
        if (item.sequenceNumberAfter() > 0) {
            // the item's own start: part of the item in every statement (reads and append conditions alike)
            parts.add("sequence_number > ?");
            params.add(item.sequenceNumberAfter());
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" AND ", parts) + ")";
    }

    /**
     * @param key an indexed key, validated by the configuration
     * @return the expression its index is built on
     */
    static String keyExpression(String key) {
        return "left(payload ->> '" + key + "', " + KEY_PREFIX + ")";
    }

    /**
     * The characters of a key's value its index holds: a btree entry may not exceed 2,704 bytes, and
     * a value is at most 4 bytes a character; equal values have equal prefixes, so the condition
     * stays implied by the containment, and longer values that share a prefix are told apart by it.
     */
    static final int KEY_PREFIX = 200;

    /** One document holding every predicate, or several when a key repeats with other values. */
    private static List<ObjectNode> allOfDocuments(List<PayloadPredicate> predicates) {
        List<ObjectNode> documents = new ArrayList<>();
        List<Set<String>> keys = new ArrayList<>();
        for (PayloadPredicate predicate : predicates) {
            int slot = 0;
            while (slot < documents.size() && keys.get(slot).contains(predicate.key())) {
                slot++;
            }
            if (slot == documents.size()) {
                documents.add(Json.objectNode());
                keys.add(new HashSet<>());
            }
            documents.get(slot).set(predicate.key(), Json.scalarNode(predicate.value()));
            keys.get(slot).add(predicate.key());
        }
        return documents;
    }

    private static ObjectNode document(PayloadPredicate predicate) {
        ObjectNode document = Json.objectNode();
        document.set(predicate.key(), Json.scalarNode(predicate.value()));
        return document;
    }

    /**
     * Binds the parameters starting at an index.
     *
     * @param connection for creating arrays
     * @param statement the statement
     * @param first the index of the first parameter
     * @return the index after the last parameter bound
     * @throws SQLException from the driver
     */
    int bind(Connection connection, PreparedStatement statement, int first) throws SQLException {
        int index = first;
        for (Object param : params) {
            bindOne(connection, statement, index++, param);
        }
        return index;
    }

    static void bindOne(Connection connection, PreparedStatement statement, int index, Object param)
            throws SQLException {
        if (param instanceof String text) {
            statement.setString(index, text);
        } else if (param instanceof String[] texts) {
            Array array = connection.createArrayOf("text", texts);
            statement.setArray(index, array);
        } else if (param instanceof Long number) {
            statement.setLong(index, number);
        } else if (param instanceof Instant instant) {
            // As text with a cast in the SQL: setObject/setTimestamp bind an untyped parameter,
            // which makes pgjdbc describe the statement and split the pipeline (see DatabaseCall).
            statement.setString(index, TimestampText.of(instant));
        } else {
            throw new IllegalArgumentException("unsupported parameter type " + param.getClass());
        }
    }
}
