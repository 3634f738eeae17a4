package io.dcbstore.postgres.internal;

import io.dcbstore.ConfigurationException;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The schema (created idempotently, updated when its version differs) and the checks of the servers at start. */
final class Schema {
    /** The name of the unique index of the event ids, after the events table's name (schema.sql). */
    static final String EVENT_ID_INDEX_SUFFIX = "_event_id_idx";

    private final DataSource primary;
    private final PostgresStoreConfig config;
    private final Statements statements;

    Schema(DataSource primary, PostgresStoreConfig config, Statements statements) {
        this.primary = primary;
        this.config = config;
        this.statements = statements;
    }

    /**
     * How long creating or upgrading the schema may wait for an answer: the script may build an
     * index on a large table, and a call gives up its connection after its timeout.
     */
    private static final Duration SCHEMA_TIMEOUT = Duration.ofHours(2);

    /**
     * Creates tables, indexes and functions if missing; safe to run concurrently. When they all
     * exist it only reads the catalog: the DDL's table locks would otherwise queue behind running
     * appends and streams at every start.
     */
    void create() {
        if (!schemaExists()) {
            runLocked("createSchema", statements.schema());
        }
        for (String key : missingKeyIndexes()) {
            // an invalid index (a failed concurrent build) is dropped first: IF NOT EXISTS would keep it
            runLocked("createKeyIndex", "DROP INDEX IF EXISTS \"" + keyIndexName(key) + "\"; " + keyIndexDdl(key));
        }
    }

    /** Runs DDL in one transaction under the schema's advisory lock: stores starting together take turns. */
    private void runLocked(String name, String ddl) {
        DatabaseCall.run(primary, name, SCHEMA_TIMEOUT, null, (operation, connection) -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute(
                        "SELECT pg_advisory_xact_lock(" + new LockKeys(config.eventsTable()).key("schema", "") + ")");
                statement.execute(ddl);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    /**
     * For a store that does not create its schema: checks that it is there, at this version.
     *
     * @throws ConfigurationException naming what to do when it is missing or of another version
     */
    void require() {
        if (!schemaExists()) {
            throw new ConfigurationException("the schema of " + config.eventsTable() + " is missing or not at version "
                    + Statements.SCHEMA_VERSION + " (its tables, indexes, functions and trigger): run schema.sql as the"
                    + " owner role (ops/sql/roles.sql), or start a store with createSchema once");
        }
        List<String> missing = missingKeyIndexes();
        if (!missing.isEmpty()) {
            throw new ConfigurationException("the indexes of the indexed keys " + missing
                    + " are missing or invalid: run "
                    + String.join(
                            " ",
                            missing.stream()
                                    .map(key -> "DROP INDEX CONCURRENTLY IF EXISTS \"" + keyIndexName(key) + "\"; "
                                            + concurrently(keyIndexDdl(key)) + ";")
                                    .toList())
                    + " as the owner role, or start a store with createSchema once");
        }
    }

    /**
     * @param key an indexed key (validated by the configuration: letters, digits, _)
     * @return the name of its index: the events table's name, {@code _k_} and the key, quoted
     */
    String keyIndexName(String key) {
        return config.eventsTable() + "_k_" + key;
    }

    /** @return the statement creating a key's index (a plain CREATE INDEX: it blocks appends while it runs) */
    String keyIndexDdl(String key) {
        return "CREATE INDEX IF NOT EXISTS \"" + keyIndexName(key) + "\" ON " + config.eventsTable() + " ("
                + WhereClause.keyExpression(key) + ", sequence_number)";
    }

    private static String concurrently(String ddl) {
        return ddl.replace("CREATE INDEX IF NOT EXISTS", "CREATE INDEX CONCURRENTLY IF NOT EXISTS");
    }

    /**
     * Only reads the catalog: {@code CREATE INDEX IF NOT EXISTS} would take the table's SHARE lock
     * even when the index exists, queue behind every running append and hold the next ones.
     *
     * @return the configured keys whose index is missing or invalid (a failed concurrent build)
     */
    private List<String> missingKeyIndexes() {
        List<String> missing = new ArrayList<>();
        for (String key : config.indexedKeys()) {
            boolean valid = DatabaseCall.run(
                    primary, "checkKeyIndex", config.defaultTimeout(), null, (operation, connection) -> {
                        try (PreparedStatement statement = operation.prepare(
                                connection,
                                "SELECT coalesce((SELECT indisvalid FROM pg_index WHERE indexrelid ="
                                        + " to_regclass(quote_ident(?))), false)")) {
                            statement.setString(1, keyIndexName(key));
                            try (ResultSet rows = statement.executeQuery()) {
                                rows.next();
                                return rows.getBoolean(1);
                            }
                        }
                    });
            if (!valid) {
                missing.add(key);
            }
        }
        return missing;
    }

    private boolean schemaExists() {
        return DatabaseCall.run(primary, "checkSchema", config.defaultTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(
                    connection,
                    "SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL"
                            + " AND to_regclass(?) IS NOT NULL AND to_regprocedure(?) IS NOT NULL AND to_regprocedure(?) IS NOT NULL"
                            + " AND to_regprocedure(?) IS NOT NULL"
                            + " AND obj_description(to_regprocedure(?), 'pg_proc') IS NOT DISTINCT FROM "
                            + Statements.SCHEMA_VERSION
                            + " AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?) AND (tgtype & 32) <> 0)")) {
                statement.setString(1, config.eventsTable());
                statement.setString(2, config.snapshotsTable());
                statement.setString(3, config.eventsTable() + "_payload_idx");
                statement.setString(4, config.eventsTable() + "_condition_failed_if(boolean,bigint)");
                statement.setString(5, config.eventsTable() + "_in_pipeline(text)");
                statement.setString(6, config.eventsTable() + "_allocate(text,integer,integer,regclass,integer)");
                statement.setString(7, config.eventsTable() + "_safe_mark(bigint[],bigint[],bigint[])");
                statement.setString(8, config.eventsTable() + "_append_only");
                statement.setString(9, config.eventsTable());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getBoolean(1);
                }
            }
        });
    }

    /**
     * Checks, at start, what the append guarantee needs from the server and cannot enforce per
     * statement: a UTF8 database. Lock keys are hashed from the Java strings, while the check
     * compares values after the server converted them to its own encoding; in another encoding
     * two different strings can become the same bytes (in EUC_JP, U+00A6 and U+FFE4 both become
     * 0x8FA2C3), so an event could match a condition without sharing a lock with it, and the
     * stored value would silently differ from the appended one.
     *
     * Also refuses driver options that split pipelines, and server-side prepared statements behind
     * a pooler in transaction mode ({@link DatabaseCall#checkDriverOptions}).
     *
     * @return how the primary is reached
     * @throws io.dcbstore.ConfigurationException when the database's encoding is not UTF8, or the
     *         driver's options cannot run an operation as one transaction
     */
    Pooling checkServer() {
        Pooling pooling = DatabaseCall.checkDriverOptions(primary, "primary");
        String encoding =
                DatabaseCall.run(primary, "checkServer", config.defaultTimeout(), null, (operation, connection) -> {
                    try (PreparedStatement statement =
                                    operation.prepare(connection, "SELECT current_setting('server_encoding')");
                            ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        return rows.getString(1);
                    }
                });
        if (!"UTF8".equals(encoding)) {
            throw new ConfigurationException("the primary's database uses the encoding " + encoding + ", not UTF8:"
                    + " the store needs UTF8, because in another encoding two different strings can be stored as the same bytes,"
                    + " and an append could then miss a conflicting one. Create the database with ENCODING 'UTF8'.");
        }
        return pooling;
    }

    /**
     * Refuses a replica whose driver options split pipelines.
     *
     * @param replica the replica's data source
     * @param name its name
     */
    void checkReplica(DataSource replica, String name) {
        DatabaseCall.checkDriverOptions(replica, "replica " + name);
    }
}
