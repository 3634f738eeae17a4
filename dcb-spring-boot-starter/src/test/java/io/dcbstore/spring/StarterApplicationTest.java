package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.EventStore;
import io.dcbstore.postgres.PostgresEventStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A whole Spring Boot application with the starter, on the real test database. */
@SpringBootTest
class StarterApplicationTest {
    @Autowired
    EventStore store;

    @Autowired
    @Qualifier("dcbHealthIndicator")
    HealthIndicator health;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        for (String property : StarterFixtures.testDatabaseProperties()) {
            int equals = property.indexOf('=');
            registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
        }
    }

    @Test
    void theApplicationGetsAWorkingStoreThatReportsItsHealthAndMetrics() {
        assertThat(store).isInstanceOf(PostgresEventStore.class);
        assertThat(StarterFixtures.appendAndCount(store)).isEqualTo(1);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(meters.find("dcb.store.operations").timers()).isNotEmpty();
    }

    /** The application: auto-configuration only. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {}
}
