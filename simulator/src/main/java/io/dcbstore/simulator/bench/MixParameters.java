package io.dcbstore.simulator.bench;

import io.dcbstore.simulator.bench.RecordingDataSource.NullElement;
import io.dcbstore.simulator.bench.RecordingDataSource.RoundTrip;
import io.dcbstore.simulator.bench.RecordingDataSource.SqlArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What each parameter of a recorded round trip becomes when pgbench replays it, decided from the
 * store's SQL text around its {@code ?} and from the value: most are replayed as recorded; the few
 * whose recorded value would be wrong later are computed when the request is replayed (a safe mark
 * the store would know, a projection's position behind the newest event, fresh event ids, the
 * payload's ids), and an append's expected position never fails.
 */
final class MixParameters {
    /** How a parameter is replayed. */
    enum Role {
        /** The recorded value. */
        RECORDED,
        /** The server-side timeout, what was left of the request's: the longest recorded (it bounds, it does no work). */
        TIMEOUT,
        /** A safe mark's server start: this server's, at replay. */
        MARK_SERVER_START,
        /** A known safe mark: the newest event at replay. */
        MARK,
        /** The transaction id of that event. */
        MARK_TRANSACTION_ID,
        /** An append's expected sequence number: the highest possible, so the check never fails (it still runs). */
        EXPECTED,
        /** A read's position ({@code sequence_number > ?}): as far behind the newest event as when it was recorded. */
        POSITION,
        /** A {@code coalesce(?, current_setting(...))} bound to null: the server's setting. */
        SERVER_SETTING,
        /** Event ids: fresh ones (they are unique in the log). */
        EVENT_IDS,
        /** Event payloads: their BookID and ReaderID drawn afresh from the seeded library. */
        PAYLOADS
    }

    /** The placeholders of a payload's ids in a replayed row. */
    static final String BOOK_PLACEHOLDER = "${book}";

    static final String READER_PLACEHOLDER = "${reader}";

    /** The expected sequence number every replayed append passes. */
    static final String NEVER_FAILS = Long.toString(Long.MAX_VALUE);

    private static final Pattern BOOK_ID = Pattern.compile("(\"BookID\":\\s*\")([^\"\\\\]*)(\")");
    private static final Pattern READER_ID = Pattern.compile("(\"ReaderID\":\\s*\")([^\"\\\\]*)(\")");

    private MixParameters() {}

    /**
     * @param trip a recorded round trip
     * @return the role of each of its parameters, in order
     * @throws IllegalStateException when the SQL's placeholders do not match the parameters, or a
     *     null parameter has no replacement
     */
    static List<Role> roles(RoundTrip trip) {
        List<String> statements = statements(trip.sql());
        List<Role> roles = new ArrayList<>();
        int index = 0;
        for (String statement : statements) {
            int inStatement = 0;
            for (int at = statement.indexOf('?'); at >= 0; at = statement.indexOf('?', at + 1)) {
                if (index >= trip.parameters().size()) {
                    throw new IllegalStateException("more placeholders than parameters in: " + trip.sql());
                }
                Object value = trip.parameters().get(index);
                roles.add(role(statement, statement.substring(0, at), inStatement, value));
                index++;
                inStatement++;
            }
        }
        if (index != trip.parameters().size()) {
            throw new IllegalStateException(
                    trip.parameters().size() + " parameters for " + index + " placeholders in: " + trip.sql());
        }
        return roles;
    }

    private static Role role(String statement, String before, int inStatement, Object value) {
        if (statement.contains("_safe_mark(?::bigint[], ?::bigint[], ?::bigint[])") && inStatement < 3) {
            return List.of(Role.MARK_SERVER_START, Role.MARK, Role.MARK_TRANSACTION_ID)
                    .get(inStatement);
        }
        if (before.endsWith("c.found > ")) {
            return Role.EXPECTED;
        }
        if (before.endsWith("set_config('statement_timeout', ") && value instanceof String) {
            return Role.TIMEOUT;
        }
        if (before.endsWith("sequence_number > ") && value instanceof Long) {
            return Role.POSITION;
        }
        if (value == null) {
            if (before.endsWith("coalesce(")) {
                return Role.SERVER_SETTING;
            }
            throw new IllegalStateException("a null parameter pgbench cannot send, after: " + before);
        }
        if (value instanceof SqlArray array
                && array.type().equals("uuid")
                && array.elements().stream().anyMatch(element -> element != NullElement.NULL)) {
            return Role.EVENT_IDS;
        }
        if (value instanceof SqlArray array
                && statement.startsWith("WITH l AS MATERIALIZED")
                && statement.contains(" INSERT INTO ")
                && array.elements().stream()
                        .anyMatch(element -> BOOK_ID.matcher(element.toString()).find()
                                || READER_ID.matcher(element.toString()).find())) {
            return Role.PAYLOADS;
        }
        return Role.RECORDED;
    }

    /**
     * @param sql a round trip's text: one statement, or several joined by {@code ;} and a line break
     * @return its statements
     */
    static List<String> statements(String sql) {
        return List.of(sql.split(";\n"));
    }

    /**
     * The value stored for the replay: the recorded value as PostgreSQL text, or what the replay
     * computes it from.
     *
     * @param role its role
     * @param value the recorded value
     * @param headBefore the newest sequence number when the request was recorded
     * @return the text: for a position, how far behind the newest event it was; for payloads, the
     *     payloads with placeholders for their ids; for event ids, how many; empty for values the
     *     replay computes from nothing stored
     */
    static String stored(Role role, Object value, long headBefore) {
        return switch (role) {
            case RECORDED, TIMEOUT -> text(value);
            case EXPECTED -> NEVER_FAILS;
            case POSITION -> Long.toString(Math.max(0, headBefore - (Long) value));
            case PAYLOADS -> text(withIdPlaceholders((SqlArray) value));
            case EVENT_IDS -> Integer.toString(((SqlArray) value).elements().size());
            case MARK_SERVER_START, MARK, MARK_TRANSACTION_ID, SERVER_SETTING -> "";
        };
    }

    /**
     * @param role a role whose value the fetch computes once for all its requests
     * @return the pgbench variable it goes to, or {@code null} for the other roles
     */
    static String sharedVariable(Role role) {
        return switch (role) {
            case MARK_SERVER_START -> "ms";
            case MARK -> "mk";
            case MARK_TRANSACTION_ID -> "mx";
            case SERVER_SETTING -> "workers";
            default -> null;
        };
    }

    /**
     * The columns the fetch computes once for all the requests it fetches: the newest event's
     * sequence number (for positions) and, as a known safe mark would be passed, the server's start,
     * that event and its transaction id; the server's parallel workers setting.
     *
     * @return the select list, reading {@code newest (seq, xid)}
     */
    static String sharedColumns() {
        return "newest.seq AS seq, '{' || (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint || '}' AS ms,"
                + " '{' || newest.seq || '}' AS mk, '{' || newest.xid || '}' AS mx,"
                + " current_setting('max_parallel_workers_per_gather') AS workers";
    }

    /**
     * The columns the fetch computes per request: its payloads with fresh ids from the seeded
     * library, and fresh event ids.
     *
     * @param row the alias of its parameter row ({@code payload text}, {@code ids int})
     * @param slot its slot
     * @param books book copies seeded ({@code book-0 .. book-(n-1)})
     * @param readers readers seeded
     * @return the select list
     */
    static String computedColumns(String row, int slot, long books, long readers) {
        return String.format(
                Locale.ROOT,
                "replace(replace(%1$s.payload, '%2$s', 'book-' || floor(random() * %3$d)::bigint), '%4$s',"
                        + " 'reader-' || floor(random() * %5$d)::bigint) AS pl%6$d, coalesce((SELECT"
                        + " array_agg(gen_random_uuid())::text FROM generate_series(1, %1$s.ids)), '') AS ids%6$d",
                row,
                BOOK_PLACEHOLDER,
                books,
                READER_PLACEHOLDER,
                readers,
                slot);
    }

    /**
     * @param value a recorded value
     * @return it as PostgreSQL text: arrays as array literals
     */
    static String text(Object value) {
        if (value instanceof SqlArray array) {
            return array.elements().stream()
                    .map(element -> element == NullElement.NULL
                            ? "NULL"
                            : "\"" + element.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
        }
        return String.valueOf(value);
    }

    /** @return the payloads with each BookID and ReaderID value replaced by its placeholder */
    private static SqlArray withIdPlaceholders(SqlArray payloads) {
        return new SqlArray(
                payloads.type(),
                payloads.elements().stream()
                        .map(element -> element == NullElement.NULL
                                ? element
                                : READER_ID
                                        .matcher(BOOK_ID.matcher(element.toString())
                                                .replaceAll("$1" + Matcher.quoteReplacement(BOOK_PLACEHOLDER) + "$3"))
                                        .replaceAll("$1" + Matcher.quoteReplacement(READER_PLACEHOLDER) + "$3"))
                        .toList());
    }
}
