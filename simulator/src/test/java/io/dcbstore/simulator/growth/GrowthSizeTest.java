package io.dcbstore.simulator.growth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GrowthSizeTest {

    @Test
    void sizesAreReadWithThousandsAndMillionsSortedAndWithoutDuplicates() {
        assertThat(GrowthSize.parseEvents("50M, 1m,10M,500K,2500000,1M"))
                .containsExactly(500_000L, 1_000_000L, 2_500_000L, 10_000_000L, 50_000_000L);
    }

    @Test
    void aSizeThatIsNotANumberIsNamedInTheError() {
        assertThatThrownBy(() -> GrowthSize.parseEvents("1M,ten"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ten'");
        assertThatThrownBy(() -> GrowthSize.parseEvents("1M,,10M"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("''");
        assertThatThrownBy(() -> GrowthSize.parseEvents("1.5M")).hasMessageContaining("'1.5M'");
    }

    @Test
    void aSizeUnderTenThousandEventsIsRefused() {
        assertThatThrownBy(() -> GrowthSize.parseEvents("9999,1M"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 10000")
                .hasMessageContaining("'9999'");
        assertThat(GrowthSize.parseEvents("10K")).containsExactly(10_000L);
    }

    @Test
    void theLargestSizeThatCanBeWrittenIsReadWithoutWrappingAndLongerNumbersAreRefused() {
        // Twelve digits of millions still fit a long; the disk check refuses such sizes later.
        assertThat(GrowthSize.parseEvents("999999999999M")).containsExactly(999_999_999_999_000_000L);
        assertThatThrownBy(() -> GrowthSize.parseEvents("1234567890123M"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1234567890123M'");
    }

    @Test
    void theLibraryHasABookPerFiveEventsAndAReaderPerTwentyUpToTheCaps() {
        assertThat(GrowthSize.of(1_000_000, 2_000_000, 500_000)).isEqualTo(new GrowthSize(1_000_000, 200_000, 50_000));
        assertThat(GrowthSize.of(10_000_000, 2_000_000, 500_000))
                .isEqualTo(new GrowthSize(10_000_000, 2_000_000, 500_000));
        // Past the caps the log grows and the state does not.
        assertThat(GrowthSize.of(50_000_000, 2_000_000, 500_000))
                .isEqualTo(new GrowthSize(50_000_000, 2_000_000, 500_000));
    }

    @Test
    void labelsAreWrittenAsPeopleWriteThem() {
        assertThat(GrowthSize.of(50_000_000, 10, 10).label()).isEqualTo("50M");
        assertThat(GrowthSize.of(500_000, 10, 10).label()).isEqualTo("500K");
        assertThat(GrowthSize.of(2_500_001, 10, 10).label()).isEqualTo("2,500,001");
    }

    @Test
    void aSizeWithMoreBooksAndReadersThanEventsIsRefused() {
        assertThatThrownBy(() -> new GrowthSize(10_000, 9_000, 2_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
