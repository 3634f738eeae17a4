package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.simulator.report.LatencyDistribution;
import org.HdrHistogram.Histogram;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LatencyMillisTest {

    @Test
    void theDistributionFollowsTheLadderAsFarAsTheCountResolvesThenEndsAtTheMaximum() {
        Histogram micros = new Histogram(3_600_000_000L, 3);
        for (int value = 1; value <= 1_000; value++) {
            micros.recordValue(value * 1_000L);
        }

        LatencyDistribution distribution = LatencyMillis.distribution(micros);

        // 1,000 requests resolve 1/(1 - p) up to 1,000: 99.9 is the last percentile; 99.95 is the maximum.
        assertThat(distribution.percentiles())
                .containsExactly(0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 98.0, 99.0, 99.5, 99.8, 99.9, 99.95);
        assertThat(distribution.ms().get(2)).isCloseTo(500, Offset.offset(1.0));
        assertThat(distribution.ms().get(10)).isCloseTo(999, Offset.offset(1.0));
        assertThat(distribution.ms().get(11)).isCloseTo(1_000, Offset.offset(1.0));
        assertThat(distribution.ms()).isSorted();
    }

    @Test
    void anEmptyHistogramHasAnEmptyDistribution() {
        LatencyDistribution distribution = LatencyMillis.distribution(new Histogram(3));

        assertThat(distribution.percentiles()).isEmpty();
        assertThat(distribution.ms()).isEmpty();
    }
}
