package io.dcbstore.postgres;

import io.dcbstore.embedded.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority and certificates it signs, made at test time with the JDK's
 * key generator and BouncyCastle's certificate builder (no {@code openssl} binary needed), written
 * as PEM files. EC P-256 keys: fast to make, and both pgjdbc and the server's OpenSSL accept them.
 */
final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final X500Name name;
    private final KeyPair keys;
    private final X509CertificateHolder certificate;

    private TestCertificates(X500Name name, KeyPair keys, X509CertificateHolder certificate) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /**
     * @param commonName the CA's name
     * @return a new self-signed CA, valid from an hour ago for a day
     */
    static TestCertificates newAuthority(String commonName) {
        X500Name name = new X500Name("CN=" + commonName);
        KeyPair keys = newKeyPair();
        JcaX509v3CertificateBuilder builder = builder(name, name, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCertificates(name, keys, sign(builder, keys.getPrivate()));
    }

    /**
     * Writes a new CA's certificate ({@code ca.crt}) and a server certificate it signed for
     * {@code localhost} and {@code 127.0.0.1} with its key ({@code server.crt}, {@code server.key}).
     *
     * @param directory where to write the files
     * @return the CA certificate clients trust, and the server's TLS files
     */
    static ForLocalServer forLocalServer(Path directory) {
        TestCertificates authority = newAuthority("dcb test CA");
        TestCertificates server = authority.issueServerCertificate("dcb test server", "DNS:localhost", "IP:127.0.0.1");
        return new ForLocalServer(
                authority.writeCertificate(directory.resolve("ca.crt")),
                ServerTls.of(
                        server.writeCertificate(directory.resolve("server.crt")),
                        server.writePrivateKey(directory.resolve("server.key"))));
    }

    /**
     * The files of {@link #forLocalServer}.
     *
     * @param authority the CA certificate (PEM) for pgjdbc's {@code sslrootcert}
     * @param serverTls the server's certificate and key, for the embedded launcher
     */
    record ForLocalServer(Path authority, ServerTls serverTls) {}

    /**
     * A server certificate signed by this CA.
     *
     * @param commonName the server's name
     * @param subjectAlternativeNames the names clients may connect by: {@code DNS:localhost},
     *     {@code IP:127.0.0.1}
     * @return the certificate and its key
     */
    TestCertificates issueServerCertificate(String commonName, String... subjectAlternativeNames) {
        X500Name subject = new X500Name("CN=" + commonName);
        KeyPair serverKeys = newKeyPair();
        JcaX509v3CertificateBuilder builder = builder(name, subject, serverKeys);
        GeneralName[] names = new GeneralName[subjectAlternativeNames.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = generalName(subjectAlternativeNames[i]);
        }
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCertificates(subject, serverKeys, sign(builder, keys.getPrivate()));
    }

    /**
     * @param file where to write
     * @return {@code file}, holding this certificate in PEM
     */
    Path writeCertificate(Path file) {
        try {
            return writePem(file, "CERTIFICATE", certificate.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file where to write (readable by its owner only)
     * @return {@code file}, holding this certificate's private key in unencrypted PKCS#8 PEM
     */
    Path writePrivateKey(Path file) {
        Path written = writePem(file, "PRIVATE KEY", keys.getPrivate().getEncoded());
        try {
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    private static GeneralName generalName(String alternativeName) {
        if (alternativeName.startsWith("DNS:")) {
            return new GeneralName(GeneralName.dNSName, alternativeName.substring(4));
        }
        if (alternativeName.startsWith("IP:")) {
            return new GeneralName(GeneralName.iPAddress, alternativeName.substring(3));
        }
        throw new IllegalArgumentException("expected DNS:name or IP:address, got " + alternativeName);
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                keys.getPublic());
    }

    private static X509CertificateHolder sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("signing a test certificate failed", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    private static Path writePem(Path file, String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        try {
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }
}
