package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HistorySeedingTest {

    @Test
    void theProgressLineShowsTheShareTheRateAndTheTimeLeftAtThatRate() {
        long tenSecondsAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);

        String line = HistorySeeding.progressLine(1_000_000, 10_000_000, tenSecondsAgo);

        assertThat(line).startsWith("\rseeding: 1,000,000 of 10,000,000 events (10%, ");
        // 100,000/s for 10 s (give or take the test's own time): 9M left take about 90 s
        assertThat(line).containsPattern("\\((10)%, (99,[0-9]{3}|100,000)/s, ETA 1m 3[01]s\\)");
    }

    @Test
    void theTimeLeftIsInSecondsUnderAMinute() {
        long oneSecondAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

        assertThat(HistorySeeding.progressLine(900, 1000, oneSecondAgo))
                .contains("(90%, ")
                .contains("ETA 0s");
    }

    @Test
    void onceEveryEventIsWrittenTheLineSaysWhatTheSeedingStillDoes() {
        long oneSecondAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

        assertThat(HistorySeeding.progressLine(999, 1000, oneSecondAgo)).doesNotContain("loaded");
        assertThat(HistorySeeding.progressLine(1000, 1000, oneSecondAgo))
                .contains("(100%, ")
                .endsWith("loaded; building the key indexes if any, freezing, analysing and checkpointing...");
    }
}
