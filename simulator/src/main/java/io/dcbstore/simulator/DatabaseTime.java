package io.dcbstore.simulator;

import io.dcbstore.simulator.report.StatementGroups;
import io.dcbstore.simulator.report.StatementTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The database's own execution time of the store's statements, from {@code pg_stat_statements}
 * on each node, reset at the start of a run. Statements are grouped by what the store uses them
 * for: reads (queries and commit-token checks), appends (locks, check, id allocation, insert) and
 * snapshots.
 */
final class DatabaseTime {
    /** Totals of one group on one node. */
    record Group(long calls, double execMillis) {
        static final Group NONE = new Group(0, 0);

        Group plus(Group other) {
            return new Group(calls + other.calls, execMillis + other.execMillis);
        }

        StatementTime report() {
            return StatementTime.of(calls, execMillis);
        }
    }

    /** The groups of one node. */
    record Groups(Group read, Group append, Group snapshot, Group other) {
        /** A node that measured nothing (or none at all). */
        static final Groups NONE = new Groups(Group.NONE, Group.NONE, Group.NONE, Group.NONE);

        StatementGroups report() {
            return new StatementGroups(read.report(), append.report(), snapshot.report(), other.report());
        }
    }

    private enum Kind {
        READ,
        APPEND,
        SNAPSHOT,
        OTHER
    }

    private DatabaseTime() {}

    /** Creates the extension (on the primary; replicas follow) if it is loaded; false when it is not available. */
    static boolean enable(DataSource primary) {
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_statements")) {
                return rows.next();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Forgets what the node measured so far. */
    static void reset(DataSource node) {
        try (Connection connection = node.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException ignored) {
            // Not available on this node: its figures stay empty.
        }
    }

    /**
     * @param node a primary or replica
     * @param eventsTable the events table's name
     * @param snapshotsTable the snapshots table's name
     * @return calls and execution time per group since the reset
     */
    static Groups read(DataSource node, String eventsTable, String snapshotsTable) {
        Map<Kind, Group> groups = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            groups.put(kind, Group.NONE);
        }
        String sql =
                "SELECT query, calls, total_exec_time FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())";
        try (Connection connection = node.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                Kind kind = kindOf(rows.getString(1), eventsTable, snapshotsTable);
                groups.merge(kind, new Group(rows.getLong(2), rows.getDouble(3)), Group::plus);
            }
        } catch (SQLException ignored) {
            // Not available: empty figures.
        }
        return new Groups(
                groups.get(Kind.READ), groups.get(Kind.APPEND), groups.get(Kind.SNAPSHOT), groups.get(Kind.OTHER));
    }

    private static Kind kindOf(String query, String eventsTable, String snapshotsTable) {
        if (query.contains(snapshotsTable)) {
            return Kind.SNAPSHOT;
        }
        if (query.contains("pg_advisory_xact_lock")
                || query.contains("sequence_number + 0")
                || query.contains("_allocate(current_setting(")) {
            return Kind.APPEND;
        }
        if (query.startsWith("SELECT sequence_number, event_type") || query.contains("dcb.mark")) {
            return Kind.READ;
        }
        return Kind.OTHER;
    }
}
