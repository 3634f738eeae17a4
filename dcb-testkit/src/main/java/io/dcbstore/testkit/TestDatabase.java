package io.dcbstore.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of a test JVM, started once and shared: by default an
 * {@link EmbeddedPostgres}; when the environment variable {@code DCB_TEST_JDBC_URL} is set, that
 * external server instead (with {@code DCB_TEST_USER} and {@code DCB_TEST_PASSWORD}). Each test
 * isolates itself with {@link #uniqueName}, never by sharing state.
 */
public final class TestDatabase {
    /** Environment variable naming an external server for the tests. */
    public static final String URL_VARIABLE = "DCB_TEST_JDBC_URL";

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static volatile TestDatabase shared;

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private TestDatabase(String jdbcUrl, String user, String password, EmbeddedPostgres embedded) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** @return the shared test database, started on first use */
    public static synchronized TestDatabase get() {
        if (shared == null) {
            String url = System.getenv(URL_VARIABLE);
            if (url != null && !url.isBlank()) {
                shared =
                        new TestDatabase(url, envOr("DCB_TEST_USER", "postgres"), envOr("DCB_TEST_PASSWORD", ""), null);
            } else {
                EmbeddedPostgres server = EmbeddedPostgres.start(ServerSettings.forTests());
                shared = new TestDatabase(server.jdbcUrl("postgres"), EmbeddedPostgres.USER, "", server);
            }
        }
        return shared;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** @return the JDBC URL */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the user */
    public String user() {
        return user;
    }

    /** @return the password */
    public String password() {
        return password;
    }

    /** @return the embedded server, or {@code null} when tests run against an external one */
    public EmbeddedPostgres embedded() {
        return embedded;
    }

    /**
     * @param prefix a readable prefix
     * @return a name no other test in this run uses: for tables, ids, boundaries
     */
    public static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    }

    /**
     * @param name the pool name
     * @param maximumPoolSize its size
     * @return a new pool; the caller closes it
     */
    public HikariDataSource newPool(String name, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    /**
     * Runs SQL outside any pool, for fixtures and assertions.
     *
     * @param sql the statement
     */
    public void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("executing test SQL failed: " + sql, e);
        }
    }

    /** @return a data source without pooling, for one-off connections */
    public DataSource unpooled() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }
}
