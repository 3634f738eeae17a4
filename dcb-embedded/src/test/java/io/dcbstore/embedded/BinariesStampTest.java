package io.dcbstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory the binaries are extracted to is named by their content, not by where the jar
 * lies: every copy of a shaded jar (the simulator's, a CI checkout's) used to extract its own 60 MB.
 */
class BinariesStampTest {

    private static URL entryOf(Path jar, byte[] content) throws Exception {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry("postgres-linux-x86_64.txz"));
            jarOut.write(content);
            jarOut.closeEntry();
        }
        return new URL("jar:" + jar.toUri() + "!/postgres-linux-x86_64.txz");
    }

    @Test
    void theSameBinariesInJarsAtTwoPathsShareOneStampAndOtherBinariesGetAnother(@TempDir Path directory)
            throws Exception {
        byte[] binaries = "the same binaries".getBytes();
        Files.createDirectories(directory.resolve("a"));
        Files.createDirectories(directory.resolve("b"));

        String first = PostgresBinaries.contentStamp(entryOf(directory.resolve("a/simulator.jar"), binaries));
        String copy = PostgresBinaries.contentStamp(entryOf(directory.resolve("b/other-name.jar"), binaries));
        String other =
                PostgresBinaries.contentStamp(entryOf(directory.resolve("c.jar"), "other binaries!!!".getBytes()));

        assertThat(copy).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void anArchiveWhoseContentCannotBeStampedIsNamedByItsLocation() throws Exception {
        URL elsewhere = new URL("http://example.invalid/postgres/17.6.0/postgres-linux-x86_64.txz");

        assertThat(PostgresBinaries.contentStamp(elsewhere)).isNull();
        assertThat(PostgresBinaries.version(elsewhere)).startsWith("17.6.0-");
    }

    @Test
    void aFileIsStampedByItsSizeAndModificationTime(@TempDir Path directory) throws Exception {
        Path archive = Files.write(directory.resolve("postgres.txz"), new byte[] {1, 2, 3});

        String stamp = PostgresBinaries.contentStamp(archive.toUri().toURL());
        Files.write(archive, new byte[] {1, 2, 3, 4});

        assertThat(PostgresBinaries.contentStamp(archive.toUri().toURL())).isNotEqualTo(stamp);
    }
}
