package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.embedded.EmbeddedCluster;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** An embedded primary and replica started with TLS: both verify-full, and the replica streams encrypted. */
class TlsClusterIT {
    @Test
    void thePrimaryAndTheReplicaServeVerifyFullAndReplicationIsEncrypted() throws IOException, SQLException {
        Path certificates = Files.createTempDirectory("dcb-tls-cluster-");
        TestCertificates.ForLocalServer issued = TestCertificates.forLocalServer(certificates);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(
                1, ServerSettings.forTests(), ServerSettings.replicaForTests(), issued.serverTls())) {
            String options = "/postgres?sslmode=verify-full&sslrootcert=" + issued.authority();
            String primaryUrl =
                    "jdbc:postgresql://localhost:" + cluster.primary().port() + options;
            String replicaUrl =
                    "jdbc:postgresql://localhost:" + cluster.replicas().get(0).port() + options;

            assertThat(single(primaryUrl, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
                    .isEqualTo("t");
            assertThat(single(replicaUrl, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
                    .isEqualTo("t");
            assertThat(single(primaryUrl, "SELECT bool_and(ssl) FROM pg_stat_replication JOIN pg_stat_ssl USING (pid)"))
                    .as("the replica's streaming connection")
                    .isEqualTo("t");
        } finally {
            try (Stream<Path> files = Files.walk(certificates)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    private static String single(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
