package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.Filter;
import io.dcbstore.FilterItem;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store over TLS: against an embedded server started with a throwaway CA's certificate for
 * {@code localhost} and {@code 127.0.0.1}, pgjdbc's {@code sslmode=verify-full} connects and every
 * session is encrypted; a certificate from another CA, a host name the certificate does not name,
 * and a server without TLS under {@code sslmode=require} are each refused with a typed error that
 * never shows the password.
 */
class TlsConnectionTest {
    private static final String PASSWORD = "tls-Secret-8412";
    /** The server also listens here; the certificate does not name this address. */
    private static final String UNNAMED_ADDRESS = "127.0.0.2";

    private static Path certificates;
    private static Path authority;
    private static Path otherAuthority;
    private static EmbeddedPostgres server;

    @BeforeAll
    static void startAServerWithATestCertificate() throws IOException {
        certificates = Files.createTempDirectory("dcb-tls-test-");
        TestCertificates.ForLocalServer issued = TestCertificates.forLocalServer(certificates);
        authority = issued.authority();
        // The same name as the real CA, another key: only the signature tells them apart.
        otherAuthority =
                TestCertificates.newAuthority("dcb test CA").writeCertificate(certificates.resolve("other-ca.crt"));
        Map<String, String> settings = ServerSettings.forTests();
        settings.put("listen_addresses", "127.0.0.1," + UNNAMED_ADDRESS);
        server = EmbeddedPostgres.start(settings, issued.serverTls());
    }

    @AfterAll
    static void stopTheServer() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(certificates)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        }
    }

    private static String verifyFullUrl(String host, Path rootCertificate) {
        return "jdbc:postgresql://" + host + ":" + server.port() + "/postgres?sslmode=verify-full"
                + "&sslrootcert=" + rootCertificate
                + "&password=" + PASSWORD;
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void theStoreAppendsAndQueriesOverVerifyFullWithEverySessionEncrypted(String host) throws SQLException {
        String poolName = TestDatabase.uniqueName("tls");
        String table = TestDatabase.uniqueName("tls_ev");
        try (HikariDataSource pool = PostgresPools.newPool(
                        poolName, verifyFullUrl(host, authority), EmbeddedPostgres.USER, PASSWORD, 2);
                PostgresEventStore store = PostgresEventStore.create(
                        pool, PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
            Filter notes = Filter.anyOf(FilterItem.types("Note"));
            store.append(notes, 0, Event.of("Note", Map.of("Text", "over TLS")));

            assertThat(store.query(notes).events()).hasSize(1);
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet sessions = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE ssl)"
                            + " FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)"
                            + " WHERE application_name = '" + poolName + "'")) {
                sessions.next();
                assertThat(sessions.getLong(1)).as("sessions of the pool").isPositive();
                assertThat(sessions.getLong(2)).as("encrypted sessions").isEqualTo(sessions.getLong(1));
            }
        }
    }

    @Test
    void verifyFullRefusesAServerWhoseCertificateAnotherAuthoritySigned() {
        Failure failure = connect(verifyFullUrl("localhost", otherAuthority));

        assertThat(failure.thrown()).isInstanceOf(DatabaseException.class);
        assertThat(chainOf(failure.thrown())).anyMatch(SSLHandshakeException.class::isInstance);
        assertThat(chainOf(failure.thrown())).anyMatch(CertificateException.class::isInstance);
        assertThat(failure.retryable()).as("retryable").isFalse();
        failure.assertPasswordNowhere();
    }

    @Test
    void verifyFullRefusesAHostNameTheCertificateDoesNotName() {
        Failure failure = connect(verifyFullUrl(UNNAMED_ADDRESS, authority));

        assertThat(failure.thrown())
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("hostname " + UNNAMED_ADDRESS + " could not be verified");
        failure.assertPasswordNowhere();
    }

    @Test
    void requireAgainstAServerWithoutTlsFailsWithAClearError() {
        try (EmbeddedPostgres plain = EmbeddedPostgres.start(ServerSettings.forTests())) {
            Failure failure = connect(plain.jdbcUrl("postgres") + "?sslmode=require&password=" + PASSWORD);

            assertThat(failure.thrown())
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("does not support SSL");
            assertThat(((DatabaseException) failure.thrown()).sqlState()).isEqualTo("08004");
            assertThat(failure.retryable()).as("retryable").isFalse();
            failure.assertPasswordNowhere();
        }
    }

    /** Connects a pool, capturing what is logged meanwhile: HikariCP's (slf4j-simple) and pgjdbc's (JUL). */
    private static Failure connect(String url) {
        Logger julRoot = Logger.getLogger("");
        julRoot.getHandlers(); // JUL's console handler takes standard error now, not the capture below
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(logged, true, StandardCharsets.UTF_8);
        StreamHandler julCapture = new StreamHandler(capture, new SimpleFormatter());
        PrintStream standardError = System.err;
        julRoot.addHandler(julCapture);
        System.setErr(capture);
        Throwable thrown;
        try {
            thrown = catchThrowable(
                    () -> PostgresPools.newPool(TestDatabase.uniqueName("tls"), url, EmbeddedPostgres.USER, PASSWORD, 1)
                            .close());
        } finally {
            System.setErr(standardError);
            julRoot.removeHandler(julCapture);
            julCapture.flush();
        }
        return new Failure(thrown, logged.toString(StandardCharsets.UTF_8));
    }

    private static Stream<Throwable> chainOf(Throwable thrown) {
        return Stream.iterate(thrown, cause -> cause != null, Throwable::getCause);
    }

    /** What a failed connection threw, and what was logged meanwhile (slf4j-simple writes to standard error). */
    private record Failure(Throwable thrown, String log) {
        boolean retryable() {
            return ((DatabaseException) thrown).isRetryable();
        }

        void assertPasswordNowhere() {
            assertThat(thrown).as("the connection must fail").isNotNull();
            StringWriter printed = new StringWriter();
            thrown.printStackTrace(new PrintWriter(printed));
            assertThat(printed.toString())
                    .as("the exception, its causes and stack")
                    .doesNotContain(PASSWORD);
            assertThat(log).as("the log").isNotBlank().doesNotContain(PASSWORD);
        }
    }
}
