package io.dcbstore.spring.internal;

import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.ReplicaStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The store's health: whether the primary answers, and what the store's own replica checks last
 * saw (it checks them every {@code healthCheckInterval}; this indicator adds no query to them).
 */
public final class StoreHealthIndicator extends AbstractHealthIndicator {
    /** How long the primary may take to say it is alive. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final PostgresEventStore store;

    /** @param store the store to report on */
    public StoreHealthIndicator(PostgresEventStore store) {
        super("event store health check failed");
        this.store = store;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws SQLException {
        Map<String, Object> replicas = new LinkedHashMap<>();
        for (ReplicaStatus status : store.replicaStatus()) {
            replicas.put(status.name(), details(status));
        }
        builder.withDetail("replicas", replicas);
        try (Connection connection = store.primary().getConnection()) {
            if (connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                builder.up().withDetail("primary", "reachable");
            } else {
                builder.down().withDetail("primary", "no answer within " + VALIDATION_TIMEOUT_SECONDS + " s");
            }
        }
    }

    private static Map<String, Object> details(ReplicaStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("healthy", status.healthy());
        details.put("inRecovery", status.inRecovery());
        details.put("lagBytes", status.lagBytes());
        details.put("lagMillis", status.lagTime().toMillis());
        details.put("checkedAt", status.checkedAt().toString());
        if (!status.problem().isEmpty()) {
            details.put("problem", status.problem());
        }
        return details;
    }
}
