package io.dcbstore.spring;

import io.dcbstore.postgres.PostgresEventStore;

/**
 * Changes the store the auto-configuration builds, without replacing it: every bean of this type
 * is applied, in {@link org.springframework.core.annotation.Order order}, after the
 * {@code dcb.*} properties and before {@link PostgresEventStore.Builder#build()}. The
 * auto-configuration registers its own to hand the application's Micrometer registries to the
 * store.
 */
@FunctionalInterface
public interface EventStoreBuilderCustomizer {
    /**
     * @param builder the builder, with the primary, the replicas and the configuration already set
     */
    void customize(PostgresEventStore.Builder builder);
}
