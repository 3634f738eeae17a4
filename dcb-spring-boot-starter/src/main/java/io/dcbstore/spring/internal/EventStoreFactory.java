package io.dcbstore.spring.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.ConfigurationException;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresPools;
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
     * @param customizers applied in this order before the build
     * @return the store; it closes the pools it was given here
     * @throws ConfigurationException if neither {@code dcb.primary.url} nor a data source is there
     */
    public static PostgresEventStore create(
            DcbProperties properties,
            Supplier<DataSource> applicationDataSource,
            List<EventStoreBuilderCustomizer> customizers) {
        List<HikariDataSource> opened = new ArrayList<>();
        try {
            PostgresEventStore.Builder builder =
                    PostgresEventStore.builder(primary(properties, applicationDataSource, opened));
            if (!opened.isEmpty()) {
                builder.closeWithStore(opened.get(0));
            }
            DcbProperties.Node primary = properties.getPrimary();
            for (Map.Entry<String, DcbProperties.Node> replica :
                    properties.getReplicas().entrySet()) {
                DcbProperties.Node node = replica.getValue();
                HikariDataSource pool = PostgresPools.newPool(
                        "dcb-replica-" + replica.getKey(),
                        node.getUrl(),
                        node.getUser() == null ? primary.getUser() : node.getUser(),
                        node.getPassword() == null ? primary.getPassword() : node.getPassword(),
                        properties.getPoolSize());
                opened.add(pool);
                builder.replica(replica.getKey(), pool).closeWithStore(pool);
            }
            builder.config(properties.getStore().toStoreConfig());
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
        if (primary.getUrl() != null) {
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
