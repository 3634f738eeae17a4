package io.dcbstore.spring;

import io.dcbstore.EventStore;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.spring.internal.EventStoreFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;

/**
 * An {@link EventStore} bean: a {@link PostgresEventStore} on the nodes {@link DcbProperties}
 * names, or on the application's single {@code DataSource} when {@code dcb.primary.url} is not
 * set. No store is made when there is neither, or when the application has an {@link EventStore}
 * of its own. The store's schema is checked (or created) and every node is reached at start, so
 * a wrong URL, credentials or setting stops the application with the store's own exception.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
        })
@ConditionalOnClass(PostgresEventStore.class)
@EnableConfigurationProperties(DcbProperties.class)
public class DcbAutoConfiguration {
    /** Created by Spring. */
    public DcbAutoConfiguration() {}

    /**
     * @param properties the {@code dcb.*} properties
     * @param dataSource the application's data source, used unless {@code dcb.primary.url} is set
     * @param customizers applied in order before the store is built
     * @return the store, closed with the application context (with the pools it owns)
     */
    @Bean
    @ConditionalOnMissingBean(EventStore.class)
    @Conditional(PrimaryConfigured.class)
    public PostgresEventStore eventStore(
            DcbProperties properties,
            ObjectProvider<DataSource> dataSource,
            ObjectProvider<EventStoreBuilderCustomizer> customizers) {
        return EventStoreFactory.create(
                properties, dataSource::getIfUnique, customizers.orderedStream().toList());
    }

    /** Hands the application's {@code MeterRegistry} to the store: {@code dcb.store.*} meters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MeterRegistryConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "dcbMeterRegistryCustomizer")
        EventStoreBuilderCustomizer dcbMeterRegistryCustomizer(ObjectProvider<MeterRegistry> registry) {
            return builder -> registry.ifUnique(builder::meterRegistry);
        }
    }

    /** Hands the application's {@code ObservationRegistry} to the store: one observation per call. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
    static class ObservationRegistryConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "dcbObservationRegistryCustomizer")
        EventStoreBuilderCustomizer dcbObservationRegistryCustomizer(ObjectProvider<ObservationRegistry> registry) {
            return builder -> registry.ifUnique(builder::observationRegistry);
        }
    }

    /** {@code dcb.primary.url} is set, or the application has one {@code DataSource}. */
    static final class PrimaryConfigured extends AnyNestedCondition {
        PrimaryConfigured() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "dcb.primary", name = "url")
        static final class PrimaryUrl {}

        @ConditionalOnSingleCandidate(DataSource.class)
        static final class ApplicationDataSource {}
    }
}
