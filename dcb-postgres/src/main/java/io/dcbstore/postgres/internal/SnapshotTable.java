package io.dcbstore.postgres.internal;

import io.dcbstore.Snapshot;
import io.dcbstore.postgres.PostgresStoreConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;

/** Saving, loading and deleting projection snapshots, with their own timeout. */
final class SnapshotTable {
    private final DataSource primary;
    private final PostgresStoreConfig config;
    private final Statements statements;

    SnapshotTable(DataSource primary, PostgresStoreConfig config, Statements statements) {
        this.primary = primary;
        this.config = config;
        this.statements = statements;
    }

    /**
     * @param snapshot the snapshot to save
     * @return whether it is now the saved one
     */
    boolean save(Snapshot snapshot) {
        return DatabaseCall.run(primary, "saveSnapshot", config.snapshotTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.saveSnapshot())) {
                statement.setString(1, snapshot.projectionType());
                statement.setString(2, snapshot.filterHash());
                statement.setLong(3, snapshot.sequenceNumber());
                byte[] compressed = SnapshotCompression.compressIfLarge(snapshot.state());
                if (compressed == null) {
                    statement.setString(4, snapshot.state());
                    statement.setNull(5, Types.BINARY);
                } else {
                    statement.setNull(4, Types.VARCHAR);
                    statement.setBytes(5, compressed);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /**
     * @param source the node to read from
     * @param projectionType the projection
     * @param filterHash its filter's hash
     * @return the snapshot, if saved
     */
    Optional<Snapshot> load(DataSource source, String projectionType, String filterHash) {
        checkSnapshotKey(projectionType, filterHash);
        return DatabaseCall.run(source, "loadSnapshot", config.snapshotTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.loadSnapshot())) {
                statement.setString(1, projectionType);
                statement.setString(2, filterHash);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    byte[] compressed = rows.getBytes(4);
                    return Optional.of(new Snapshot(
                            projectionType,
                            filterHash,
                            rows.getLong(1),
                            compressed == null ? rows.getString(2) : SnapshotCompression.decompress(compressed),
                            rows.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
        });
    }

    /**
     * @param projectionType the projection
     * @param filterHash its filter's hash
     * @return whether one was deleted
     */
    boolean delete(String projectionType, String filterHash) {
        checkSnapshotKey(projectionType, filterHash);
        return DatabaseCall.run(primary, "deleteSnapshot", config.snapshotTimeout(), null, (operation, connection) -> {
            try (PreparedStatement statement = operation.prepare(connection, statements.deleteSnapshot())) {
                statement.setString(1, projectionType);
                statement.setString(2, filterHash);
                return statement.executeUpdate() > 0;
            }
        });
    }

    private static void checkSnapshotKey(String projectionType, String filterHash) {
        // Validation lives in the Snapshot record; build a throwaway one to reuse it.
        new Snapshot(projectionType, filterHash, 0, "{}", null);
    }
}
