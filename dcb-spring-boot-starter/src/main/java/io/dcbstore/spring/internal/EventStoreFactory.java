package io.dcbstore.spring.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.ConfigurationException;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresPools;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.spring.DcbProperties;
import io.dcbstore.spring.EventStoreBuilderCustomizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Builds the store the properties describe; closes what it opened if the build fails. */
public final class EventStoreFactory {
    private EventStoreFactory() {}

    /**
     * @param properties the {@code dcb.*} properties
     * @param applicationDataSource the application's data source, or a supplier of null
     * @param applicationConfig the application's own store configuration, which then replaces
     *     {@code dcb.store.*}, or a supplier of null
     * @param customizers applied in this order before the build
     * @return the store; it closes the pools it was given here
     * @throws ConfigurationException if neither {@code dcb.primary.url} nor a data source is there
     */
    public static PostgresEventStore create(
            DcbProperties properties,
            Supplier<DataSource> applicationDataSource,
            Supplier<PostgresStoreConfig> applicationConfig,
            List<EventStoreBuilderCustomizer> customizers) {
        List<HikariDataSource> opened = new ArrayList<>();
        try {
            DataSource primaryDataSource = primary(properties, applicationDataSource, opened);
            PostgresEventStore.Builder builder = PostgresEventStore.builder(primaryDataSource);
            if (!opened.isEmpty()) {
                builder.closeWithStore(opened.get(0));
            }
            // A replica's credentials default to the primary's: the dcb.primary.* ones, or else
            // those of the application's pool (never the operating system's user).
            DcbProperties.Node primary = properties.getPrimary();
            String defaultUser = primary.getUser();
            String defaultPassword = primary.getPassword();
            if (defaultUser == null && primaryDataSource instanceof HikariDataSource application) {
                defaultUser = application.getUsername();
                defaultPassword = application.getPassword();
            }
            for (Map.Entry<String, DcbProperties.Node> replica :
                    properties.getReplicas().entrySet()) {
                DcbProperties.Node node = replica.getValue();
                HikariDataSource pool = PostgresPools.newPool(
                        "dcb-replica-" + replica.getKey(),
                        node.getUrl(),
                        node.getUser() == null ? defaultUser : node.getUser(),
                        node.getPassword() == null ? defaultPassword : node.getPassword(),
                        properties.getPoolSize());
                opened.add(pool);
                builder.replica(replica.getKey(), pool).closeWithStore(pool);
            }
            PostgresStoreConfig own = applicationConfig.get();
            builder.config(own != null ? own : properties.getStore().toStoreConfig());
            customizers.forEach(customizer -> customizer.customize(builder));
            return builder.build();
        } catch (RuntimeException e) {
            opened.forEach(HikariDataSource::close);
            throw e;
        }
    }

    private static DataSource primary(
            DcbProperties properties, Supplier<DataSource> applicationDataSource, List<HikariDataSource> opened) {
        DcbProperties.Node primary = properties.getPrimary();
        if (DcbProperties.hasText(primary.getUrl())) {
            HikariDataSource pool = PostgresPools.newPool(
                    "dcb-primary",
                    primary.getUrl(),
                    primary.getUser(),
                    primary.getPassword(),
                    properties.getPoolSize());
            opened.add(pool);
            return pool;
        }
        DataSource dataSource = applicationDataSource.get();
        if (dataSource == null) {
            throw new ConfigurationException(
                    "the event store needs a primary: set dcb.primary.url or give the application one DataSource");
        }
        return dataSource;
    }
}
