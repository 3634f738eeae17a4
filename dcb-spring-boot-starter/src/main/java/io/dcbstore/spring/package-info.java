/**
 * Spring Boot support for the DCB event store: {@link io.dcbstore.spring.DcbAutoConfiguration}
 * makes an {@link io.dcbstore.EventStore} bean (a {@link io.dcbstore.postgres.PostgresEventStore})
 * from the application's {@code DataSource} or from {@code dcb.*} properties
 * ({@link io.dcbstore.spring.DcbProperties}), with Micrometer when the application has it and a
 * health indicator when Actuator is on the classpath. Every bean steps aside for one of the
 * application's own; {@link io.dcbstore.spring.EventStoreBuilderCustomizer} changes the store
 * without replacing it.
 */
package io.dcbstore.spring;
