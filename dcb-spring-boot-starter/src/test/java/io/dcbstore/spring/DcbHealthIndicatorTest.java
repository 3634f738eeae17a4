package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresEventStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.FilteredClassLoader;

/** The {@code dcb} health indicator against real servers: one that answers, one that was stopped. */
class DcbHealthIndicatorTest {
    @Test
    void theStoreIsUpWhenThePrimaryAnswers() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .run(context -> {
                    Health health = context.getBean("dcbHealthIndicator", HealthIndicator.class)
                            .health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails())
                            .containsEntry("primary", "reachable")
                            .containsEntry("replicas", Map.of());
                });
    }

    @Test
    void theStoreIsDownWhenItsPrimaryServerHasStopped() {
        try (EmbeddedPostgres server = EmbeddedPostgres.start(ServerSettings.forTests())) {
            StarterFixtures.runner()
                    .withPropertyValues(
                            "dcb.primary.url=" + server.jdbcUrl("postgres"),
                            "dcb.primary.user=" + EmbeddedPostgres.USER,
                            "dcb.pool-size=1")
                    .run(context -> {
                        HealthIndicator indicator = context.getBean("dcbHealthIndicator", HealthIndicator.class);
                        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

                        server.stopServer();

                        Health health = indicator.health();
                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(health.getDetails()).containsKey("error");
                    });
        }
    }

    @Test
    void theApplicationsOwnIndicatorReplacesTheStores() {
        HealthIndicator own = () -> Health.up().withDetail("own", true).build();
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withBean("dcbHealthIndicator", HealthIndicator.class, () -> own)
                .run(context ->
                        assertThat(context.getBean("dcbHealthIndicator")).isSameAs(own));
    }

    @Test
    void theIndicatorCanBeTurnedOff() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withPropertyValues("management.health.dcb.enabled=false")
                .run(context -> assertThat(context)
                        .hasSingleBean(PostgresEventStore.class)
                        .doesNotHaveBean("dcbHealthIndicator"));
    }

    @Test
    void withoutActuatorThereIsNoIndicatorButStillAStore() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context)
                        .hasSingleBean(PostgresEventStore.class)
                        .doesNotHaveBean("dcbHealthIndicator"));
    }
}
