package io.dcbstore.simulator.growth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BlockCountersTest {

    @Test
    void theHitRatioIsTheShareOfThePeriodsBlockReadsFoundInSharedBuffers() {
        BlockCounters before = new BlockCounters(1_000_000, 500_000);
        BlockCounters after = new BlockCounters(1_000_900, 500_100);

        // 900 hits and 100 reads during the period; what came before does not count.
        assertThat(after.hitRatioSince(before)).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void aPeriodWithoutBlockReadsHasNoRatio() {
        BlockCounters same = new BlockCounters(10, 10);

        assertThat(same.hitRatioSince(same)).isNaN();
    }
}
