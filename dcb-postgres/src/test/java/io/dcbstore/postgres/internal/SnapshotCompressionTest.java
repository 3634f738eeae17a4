package io.dcbstore.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.DatabaseException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnapshotCompressionTest {

    private static String stateOf(int entries) {
        StringBuilder json = new StringBuilder("{\"books\":{");
        for (int i = 0; i < entries; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("\"book-")
                    .append(i)
                    .append("\":{\"title\":\"Tïtle ")
                    .append(i)
                    .append(" 📚\",\"lent\":")
                    .append(i % 3 == 0)
                    .append('}');
        }
        return json.append("}}").toString();
    }

    @Test
    void aSmallStateIsNotCompressedSoItStaysReadableJsonb() {
        assertThat(SnapshotCompression.compressIfLarge(stateOf(10))).isNull();
    }

    @Test
    void aLargeStateWithCharactersOutsideAsciiComesBackExactly() {
        String state = stateOf(40_000);
        assertThat(state.length()).isGreaterThanOrEqualTo(SnapshotCompression.COMPRESS_FROM_CHARS);

        byte[] compressed = SnapshotCompression.compressIfLarge(state);

        assertThat(compressed).isNotNull();
        assertThat(compressed.length).isLessThan(state.length() / 4);
        assertThat(SnapshotCompression.decompress(compressed)).isEqualTo(state);
    }

    @Test
    void bytesThatAreNotACompressedStateAreATypedErrorNotAWrongState() {
        byte[] compressed = SnapshotCompression.compress(stateOf(20_000));
        byte[] truncated = Arrays.copyOf(compressed, compressed.length - 100);
        byte[] corrupted = compressed.clone();
        corrupted[compressed.length / 2] ^= 0x55;
        byte[] wrongTrailer = compressed.clone();
        wrongTrailer[compressed.length - 4] ^= 0x01;

        for (byte[] bad : new byte[][] {truncated, corrupted, wrongTrailer, new byte[] {1, 2, 3}}) {
            assertThatThrownBy(() -> SnapshotCompression.decompress(bad))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("a compressed snapshot state cannot be read");
        }
    }
}
