package io.dcbstore.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TLS for an embedded server: the server's certificate and private key (PEM), and optionally a CA
 * whose client certificates the server accepts. The server then offers TLS on its port to every
 * client that asks ({@code ssl=on}); clients that do not ask still connect without it, as the
 * trust rules of an embedded server allow.
 *
 * <p>The server reads its own copies of the files: PostgreSQL refuses a key that others can read,
 * so the copies live in a directory only the server's user can enter, the key readable by that
 * user alone (when the launcher runs as root, that user is {@code nobody}, not root). Windows has
 * no POSIX permissions, and PostgreSQL does not check the key's there: the copies keep the default
 * access of the temporary directory.
 *
 * @param certificate the server's certificate chain (PEM), for the names clients connect by
 * @param privateKey the certificate's private key (PEM, unencrypted)
 * @param clientCertificateAuthority the CA certificate (PEM) that signs client certificates the
 *     server accepts, or {@code null} to request none
 */
public record ServerTls(Path certificate, Path privateKey, Path clientCertificateAuthority) {
    private static final String CERTIFICATE_FILE = "server.crt";
    private static final String KEY_FILE = "server.key";
    private static final String CLIENT_CA_FILE = "client-ca.crt";

    /**
     * @param certificate the server's certificate chain (PEM), for the names clients connect by
     * @param privateKey the certificate's private key (PEM, unencrypted)
     * @param clientCertificateAuthority the CA certificate (PEM) that signs client certificates the server accepts, or {@code null} to request none
     * @throws IllegalArgumentException if the certificate or key is missing, or a file is not readable
     */
    public ServerTls {
        requireReadable("certificate", certificate);
        requireReadable("private key", privateKey);
        if (clientCertificateAuthority != null) {
            requireReadable("client certificate authority", clientCertificateAuthority);
        }
    }

    /**
     * TLS with a server certificate and no client certificates.
     *
     * @param certificate the server's certificate chain (PEM)
     * @param privateKey its private key (PEM, unencrypted)
     * @return the TLS configuration
     */
    public static ServerTls of(Path certificate, Path privateKey) {
        return new ServerTls(certificate, privateKey, null);
    }

    /**
     * @param authority the CA certificate (PEM) that signs client certificates the server accepts
     * @return a copy that also asks clients for a certificate signed by {@code authority}
     */
    public ServerTls withClientCertificateAuthority(Path authority) {
        return new ServerTls(certificate, privateKey, authority);
    }

    private static void requireReadable(String what, Path file) {
        if (file == null) {
            throw new IllegalArgumentException("the " + what + " file must be given");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("the " + what + " file " + file + " does not exist or is not readable");
        }
    }

    /**
     * Copies the files into {@code directory} (created, {@code rwx------}, the key {@code rw-------}),
     * hands it to the server's user, and returns the settings that turn TLS on with them.
     *
     * @param directory a directory that does not exist yet, deleted with the server
     * @return {@code ssl}, {@code ssl_cert_file}, {@code ssl_key_file} and, with a client CA,
     *     {@code ssl_ca_file}
     */
    Map<String, String> install(Path directory) {
        try {
            if (PostgresBinaries.isPosix()) {
                Files.createDirectory(
                        directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(directory); // Windows: PostgreSQL does not check the key's permissions there
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("ssl", "on");
            settings.put("ssl_cert_file", copy(certificate, directory.resolve(CERTIFICATE_FILE), "rw-r--r--"));
            settings.put("ssl_key_file", copy(privateKey, directory.resolve(KEY_FILE), "rw-------"));
            if (clientCertificateAuthority != null) {
                settings.put(
                        "ssl_ca_file",
                        copy(clientCertificateAuthority, directory.resolve(CLIENT_CA_FILE), "rw-r--r--"));
            }
            Processes.handToServerUser(directory);
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException("installing the TLS files in " + directory + " failed", e);
        }
    }

    private static String copy(Path source, Path target, String permissions) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        if (PostgresBinaries.isPosix()) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(permissions));
        }
        // Passed as "-c name=value" without a shell: the value is taken as is, unquoted.
        return target.toAbsolutePath().toString();
    }
}
