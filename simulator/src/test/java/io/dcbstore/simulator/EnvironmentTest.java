package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestKind;
import io.dcbstore.simulator.report.MixReport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void theMixIsReportedByOperationNameInTheOperationsOrder() {
        MixReport mix =
                Environment.mix(Mix.defaults().withWeights("lend=7,return=0").withShares(0.2, 0.3, 0.4));

        assertThat(mix.weights().keySet())
                .containsExactlyElementsOf(Arrays.stream(RequestKind.values())
                        .map(RequestKind::key)
                        .toList());
        assertThat(mix.weights().get("lend")).isEqualTo(7);
        assertThat(mix.weights().get("return")).isZero();
        assertThat(mix.weights().get("q_books_lent_by_reader"))
                .isEqualTo(RequestKind.BOOKS_LENT_BY_READER.defaultWeight());
        assertThat(mix)
                .extracting(MixReport::contention, MixReport::repeats, MixReport::failures, MixReport::hotBooks)
                .containsExactly(0.2, 0.3, 0.4, 20);
    }

    @Test
    void operationNamesAreSnakeCaseSoTheReportsMapKeysAreToo() {
        for (RequestKind operation : RequestKind.values()) {
            assertThat(operation.key()).matches("^[a-z0-9]+(_[a-z0-9]+)*$");
        }
    }
}
