package io.dcbstore.postgres.internal;

import io.dcbstore.DatabaseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Large snapshot states travel and rest gzip-compressed (schema.sql, {@code state_gzip}): a jsonb
 * value cannot exceed 255 MB, and the text of a large state would cost the primary its compression
 * and its whole size in WAL. Compressed at the fastest level, streaming, so that no UTF-8 copy of
 * the whole state is made; decompressed into a byte array of the size the gzip trailer gives.
 */
final class SnapshotCompression {
    /** States of at least this many characters are compressed; smaller ones stay readable jsonb. */
    static final int COMPRESS_FROM_CHARS = 1_000_000;

    private static final int CHUNK = 1 << 16;

    private SnapshotCompression() {}

    /**
     * @param state a snapshot's state
     * @return the state compressed, or null when it is small enough to be stored as jsonb
     */
    static byte @Nullable [] compressIfLarge(String state) {
        return state.length() < COMPRESS_FROM_CHARS ? null : compress(state);
    }

    static byte[] compress(String state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, state.length() / 8));
        try (GZIPOutputStream gzip = new FastGzip(bytes);
                Writer writer = new OutputStreamWriter(gzip, StandardCharsets.UTF_8)) {
            for (int from = 0; from < state.length(); from += CHUNK) {
                writer.write(state, from, Math.min(CHUNK, state.length() - from));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory failed", e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    /**
     * @param compressed a state written by {@link #compress}
     * @return the state
     * @throws DatabaseException when the bytes are not such a state
     */
    static String decompress(byte[] compressed) {
        try {
            if (compressed.length < 18) {
                throw new IOException("too short for gzip: " + compressed.length + " bytes");
            }
            // The gzip trailer's last four bytes: the uncompressed size (modulo 2^32), little-endian.
            int last = compressed.length - 4;
            long size = (compressed[last] & 0xffL)
                    | (compressed[last + 1] & 0xffL) << 8
                    | (compressed[last + 2] & 0xffL) << 16
                    | (compressed[last + 3] & 0xffL) << 24;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException("the state is larger than a Java array: " + size + " bytes");
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK)) {
                byte[] utf8 = in.readNBytes((int) size);
                if (utf8.length != size || in.read() != -1) {
                    throw new IOException("the compressed state's length does not match its trailer");
                }
                return new String(utf8, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new DatabaseException(
                    "a compressed snapshot state cannot be read: " + e.getMessage(), null, false, e);
        }
    }

    /** gzip at the fastest level: states are mostly repeated keys, which even level 1 shrinks tenfold. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, CHUNK);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
