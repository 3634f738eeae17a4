package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresEventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/** Replicas named in {@code dcb.replicas.*}, on a real streaming replica, as the health indicator reports them. */
@Tag("replication")
class ReplicaHealthIT {
    @Test
    void aReplicaFromThePropertiesIsReportedHealthyAndThenDownWithoutTheStoreGoingDown() {
        try (EmbeddedCluster cluster =
                EmbeddedCluster.start(1, ServerSettings.forTests(), ServerSettings.replicaForTests())) {
            cluster.awaitStreaming(Duration.ofSeconds(30));
            EmbeddedPostgres replica = cluster.replicas().get(0);
            StarterFixtures.runner()
                    .withPropertyValues(
                            "dcb.primary.url=" + cluster.primary().jdbcUrl("postgres"),
                            "dcb.primary.user=" + EmbeddedPostgres.USER,
                            "dcb.replicas.reporting.url=" + replica.jdbcUrl("postgres"),
                            "dcb.pool-size=2",
                            "dcb.store.health-check-interval=100ms")
                    .run(context -> {
                        assertThat(context.getBean(PostgresEventStore.class).replicas())
                                .containsOnlyKeys("reporting");
                        HealthIndicator indicator = context.getBean("dcbHealthIndicator", HealthIndicator.class);

                        Health caughtUp =
                                awaitReplica(indicator, details -> Boolean.TRUE.equals(details.get("healthy")));
                        assertThat(caughtUp.getStatus()).isEqualTo(Status.UP);
                        assertThat(replicaDetails(caughtUp))
                                .containsEntry("inRecovery", true)
                                .containsKeys("lagBytes", "lagMillis", "checkedAt");

                        replica.stopServer();

                        Health withoutReplica =
                                awaitReplica(indicator, details -> Boolean.FALSE.equals(details.get("healthy")));
                        assertThat(withoutReplica.getStatus()).isEqualTo(Status.UP);
                        assertThat(withoutReplica.getDetails()).containsEntry("primary", "reachable");
                        assertThat(replicaDetails(withoutReplica)).containsKey("problem");
                    });
        }
    }

    private static Health awaitReplica(HealthIndicator indicator, Predicate<Map<String, Object>> condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        Health health = indicator.health();
        while (!condition.test(replicaDetails(health)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            health = indicator.health();
        }
        return health;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> replicaDetails(Health health) {
        Map<String, Object> replicas = (Map<String, Object>) health.getDetails().get("replicas");
        return (Map<String, Object>) replicas.get("reporting");
    }
}
