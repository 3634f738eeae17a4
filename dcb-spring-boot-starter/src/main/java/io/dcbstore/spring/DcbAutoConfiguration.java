package io.dcbstore.spring;

import io.dcbstore.ConfigurationException;
import io.dcbstore.EventStore;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
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
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

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
     * @param config the application's own {@link PostgresStoreConfig}, if it has one: it replaces
     *     {@code dcb.store.*}
     * @param customizers applied in order before the store is built
     * @return the store, closed with the application context (with the pools it owns)
     */
    @Bean
    @ConditionalOnMissingBean(EventStore.class)
    @Conditional(PrimaryConfigured.class)
    public PostgresEventStore eventStore(
            DcbProperties properties,
            ObjectProvider<DataSource> dataSource,
            ObjectProvider<PostgresStoreConfig> config,
            ObjectProvider<EventStoreBuilderCustomizer> customizers) {
        return EventStoreFactory.create(
                properties,
                dataSource::getIfUnique,
                config::getIfUnique,
                customizers.orderedStream().toList());
    }

    /**
     * Fails the start when {@code spring.datasource.url} is set but made no {@code DataSource}
     * (Boot makes one only with {@code spring-boot-starter-jdbc}), instead of starting silently
     * without a store.
     *
     * @return never
     * @throws ConfigurationException always, saying what to add
     */
    @Bean
    @ConditionalOnProperty(prefix = "spring.datasource", name = "url")
    @ConditionalOnMissingBean({DataSource.class, EventStore.class})
    @Conditional(PrimaryUrlUnset.class)
    public Object dcbDataSourceMissing() {
        throw new ConfigurationException("spring.datasource.url is set, but the application has no DataSource, so"
                + " the event store has no primary: add spring-boot-starter-jdbc (Spring Boot then makes the"
                + " DataSource), or set dcb.primary.url instead");
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

    /** {@code dcb.primary.url} has a value: an empty one ({@code ${DB_URL:}}) counts as unset. */
    static final class PrimaryUrlSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return DcbProperties.hasText(context.getEnvironment().getProperty("dcb.primary.url"));
        }
    }

    /** {@code dcb.primary.url} has no value. */
    static final class PrimaryUrlUnset implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !new PrimaryUrlSet().matches(context, metadata);
        }
    }

    /** {@code dcb.primary.url} is set, or the application has one {@code DataSource}. */
    static final class PrimaryConfigured extends AnyNestedCondition {
        PrimaryConfigured() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @Conditional(PrimaryUrlSet.class)
        static final class PrimaryUrl {}

        @ConditionalOnSingleCandidate(DataSource.class)
        static final class ApplicationDataSource {}
    }
}
