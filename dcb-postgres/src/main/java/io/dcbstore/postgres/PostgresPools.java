package io.dcbstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.DatabaseException;
import io.dcbstore.InvalidInputException;
import io.dcbstore.postgres.internal.JdbcUrls;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** HikariCP pools with the settings the store is measured with. */
public final class PostgresPools {
    /** pgjdbc's SQLSTATE for a connection it or the server refused to set up as asked. */
    private static final String CONNECTION_REJECTED = "08004";

    private PostgresPools() {}

    /**
     * A HikariCP pool with the settings this store is measured with: a small minimum idle (2; the
     * reference lost 14 ms a request to an over-provisioned idle pool), fail fast at start and
     * when a node is down (connection timeout 2 s, connect timeout 2 s), keep-alive on.
     *
     * @param name the pool's name (shown in metrics and thread names)
     * @param jdbcUrl a {@code jdbc:postgresql:} URL
     * @param user the user
     * @param password the password
     * @param maximumPoolSize the largest number of connections
     * @return the pool; the caller closes it
     */
    public static HikariDataSource newPool(
            String name, String jdbcUrl, String user, String password, int maximumPoolSize) {
        return newPool(name, jdbcUrl, user, password, maximumPoolSize, null);
    }

    /**
     * Like {@link #newPool(String, String, String, String, int)}, with the pool's own metrics
     * ({@code hikaricp.connections.*}, tagged with the pool's name) recorded by HikariCP's Micrometer
     * tracker.
     *
     * @param name the pool's name (shown in metrics and thread names)
     * @param jdbcUrl a {@code jdbc:postgresql:} URL
     * @param user the user
     * @param password the password
     * @param maximumPoolSize the largest number of connections
     * @param meters where the pool's meters go: a Micrometer {@code MeterRegistry} (typed as
     *     {@code Object}, as HikariCP does, so that no Micrometer type is needed), or null for none
     * @return the pool; the caller closes it
     * @throws DatabaseException if the pool cannot connect, with the URL's secrets masked; not
     *     retryable when the server's certificate is not trusted or the server refuses what the URL
     *     asks for (e.g. {@code sslmode=require} against a server without TLS)
     */
    public static HikariDataSource newPool(
            String name, String jdbcUrl, String user, String password, int maximumPoolSize, @Nullable Object meters) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException(
                    "JDBC URL must start with jdbc:postgresql:, got " + JdbcUrls.redacted(jdbcUrl));
        }
        if (maximumPoolSize < 1) {
            throw new InvalidInputException("maximum pool size must be positive, got " + maximumPoolSize);
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(maximumPoolSize);
        hikari.setMinimumIdle(Math.min(2, maximumPoolSize));
        hikari.setConnectionTimeout(2_000);
        hikari.setInitializationFailTimeout(2_000);
        hikari.setValidationTimeout(1_000);
        hikari.addDataSourceProperty("ApplicationName", name);
        hikari.addDataSourceProperty("connectTimeout", "2");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        if (meters != null) {
            hikari.setMetricRegistry(meters);
        }
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            String sqlState = sqlStateOf(e);
            throw new DatabaseException(
                    "cannot connect pool '" + name + "' to " + JdbcUrls.redacted(jdbcUrl) + ": " + e.getMessage(),
                    sqlState,
                    retryCanHelp(e, sqlState),
                    e);
        }
    }

    /**
     * A server down or starting may accept the next attempt; a certificate the client does not
     * trust, or a server that refuses what the URL asks for (TLS it does not offer: SQLSTATE 08004),
     * stays so until someone changes the configuration.
     */
    private static boolean retryCanHelp(Throwable e, @Nullable String sqlState) {
        if (CONNECTION_REJECTED.equals(sqlState)) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String sqlStateOf(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
