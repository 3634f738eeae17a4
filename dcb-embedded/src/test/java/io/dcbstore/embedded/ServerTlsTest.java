package io.dcbstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.embedded.internal.ServerCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The TLS files an embedded server reads are its own copies, the key readable by the server's
 * user alone (PostgreSQL refuses to start otherwise). The server over TLS is tested in
 * dcb-postgres ({@code TlsConnectionTest}), which makes real certificates.
 */
class ServerTlsTest {
    private Path files;
    private Path certificate;
    private Path key;

    @BeforeEach
    void writeTheFiles() throws IOException {
        files = Files.createTempDirectory("dcb-server-tls-test-");
        certificate = Files.writeString(files.resolve("given.crt"), "certificate");
        key = Files.writeString(files.resolve("given.key"), "key");
    }

    @AfterEach
    void deleteTheFiles() {
        EmbeddedPostgres.deleteRecursively(files);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no POSIX permissions")
    void theServerGetsCopiesItsUserAloneCanRead() throws IOException {
        Path installed = files.resolve("installed");

        Map<String, String> settings = ServerTls.of(certificate, key).install(installed);

        assertThat(settings)
                .containsEntry("ssl", "on")
                .containsEntry("ssl_cert_file", installed.resolve("server.crt").toString())
                .containsEntry("ssl_key_file", installed.resolve("server.key").toString())
                .doesNotContainKey("ssl_ca_file");
        assertThat(Files.readString(installed.resolve("server.key"))).isEqualTo("key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed.resolve("server.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)))
                .isEqualTo("rwx------");
        String serverUser = Processes.isRoot() ? ServerCommands.UNPRIVILEGED_USER : System.getProperty("user.name");
        assertThat(Files.getOwner(installed.resolve("server.key")).getName()).isEqualTo(serverUser);
        assertThat(Files.getOwner(installed).getName()).isEqualTo(serverUser);
    }

    @Test
    void aClientCertificateAuthorityBecomesTheServersCaFile() {
        Path installed = files.resolve("installed");

        Map<String, String> settings = ServerTls.of(certificate, key)
                .withClientCertificateAuthority(certificate)
                .install(installed);

        assertThat(settings)
                .containsEntry("ssl_ca_file", installed.resolve("client-ca.crt").toString());
    }

    @Test
    void aServerDeletesItsCopiesWhenClosedAndTakesTlsOnlyOnce() {
        ServerTls tls = ServerTls.of(certificate, key);
        EmbeddedPostgres server = EmbeddedPostgres.initialise();
        Path copies = server.tlsDirectory();
        try {
            server.enableTls(tls);

            assertThat(copies.resolve("server.key")).exists();
            assertThatThrownBy(() -> server.enableTls(tls)).isInstanceOf(IllegalStateException.class);
        } finally {
            server.close();
        }
        assertThat(copies).doesNotExist();
        assertThat(server.dataDirectory()).doesNotExist();
    }

    @Test
    void aMissingKeyIsRefusedBeforeAnyServerStarts() {
        assertThatThrownBy(() -> ServerTls.of(certificate, files.resolve("missing.key")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private key")
                .hasMessageContaining("missing.key");
    }
}
