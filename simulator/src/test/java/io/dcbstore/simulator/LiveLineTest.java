package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.simulator.report.TimelinePoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveLineTest {

    @Test
    void theLineShowsTheRunsProgressAndTheSecondsPointWithTheShedRequestsAndThePoolsOpenConnections() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TimelinePoint point =
                new TimelinePoint(3, 100, 98, Map.of("lend", 99L), 1.2, 2.0, 5.0, 9.0, 0, 1, 4, 2, 7.0, 1_200, 2, 1);

        new LiveLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofSeconds(60))
                .print(point, 1, new PoolUsage(2, 3, 1, 2));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("[  3s/60s ] target   100/s achieved    98/s | p50   1.20 ms"
                        + " p99    5.00 ms | errors 0 timeouts 1 conflicts 4 backpressure 2 (shed 1) | lag 7 ms 1,200 B"
                        + " | pool primary 2/3 replica 1/2" + System.lineSeparator());
    }
}
