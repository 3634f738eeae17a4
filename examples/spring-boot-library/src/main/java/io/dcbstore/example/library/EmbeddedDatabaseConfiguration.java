package io.dcbstore.example.library;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresPools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * When no database is configured ({@code dcb.primary.url} not set), an embedded PostgreSQL server
 * started from Maven Central's binaries, and a pool on it that the starter's store uses. Both stop
 * with the application; the server's data is deleted then.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoPrimaryUrl.class)
public class EmbeddedDatabaseConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /** Created by Spring. */
    public EmbeddedDatabaseConfiguration() {}

    /** @return a fresh embedded server on a free port, stopped (and its data deleted) with the application */
    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres() {
        EmbeddedPostgres server = EmbeddedPostgres.start(ServerSettings.primary("128MB"));
        LOG.info(
                "No dcb.primary.url set: started an embedded PostgreSQL at {} (user {}); its data goes when the application stops",
                server.jdbcUrl("postgres"),
                EmbeddedPostgres.USER);
        return server;
    }

    /**
     * @param server the embedded server
     * @return a pool on it, the application's data source
     */
    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(EmbeddedPostgres server) {
        return PostgresPools.newPool("library", server.jdbcUrl("postgres"), EmbeddedPostgres.USER, "", 10);
    }

    /**
     * {@code dcb.primary.url} has no value (an empty one counts as none). A condition of its own, not
     * an expression: a URL with a quote in it would break the expression, and print the URL.
     */
    static final class NoPrimaryUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("dcb.primary.url");
            return url == null || url.isBlank();
        }
    }
}
