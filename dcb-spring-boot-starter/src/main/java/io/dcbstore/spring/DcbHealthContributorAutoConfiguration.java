package io.dcbstore.spring;

import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.spring.internal.StoreHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dcb} health indicator, when Actuator is on the classpath and the application has one
 * {@link PostgresEventStore}: DOWN when the primary cannot be reached; UP otherwise, with each
 * replica's state and lag in the details (a replica that is behind or down does not make the
 * store DOWN: EVENTUAL reads then go to the primary). {@code management.health.dcb.enabled=false}
 * turns it off; a bean named {@code dcbHealthIndicator} replaces it.
 */
@AutoConfiguration(after = DcbAutoConfiguration.class)
@ConditionalOnClass(
        name = {
            "org.springframework.boot.actuate.health.HealthIndicator",
            "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"
        })
@ConditionalOnEnabledHealthIndicator("dcb")
public class DcbHealthContributorAutoConfiguration {
    /** Created by Spring. */
    public DcbHealthContributorAutoConfiguration() {}

    /**
     * @param store the store
     * @return its health indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "dcbHealthIndicator")
    @ConditionalOnSingleCandidate(PostgresEventStore.class)
    public HealthIndicator dcbHealthIndicator(PostgresEventStore store) {
        return new StoreHealthIndicator(store);
    }
}
