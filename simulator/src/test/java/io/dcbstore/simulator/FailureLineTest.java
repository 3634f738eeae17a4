package io.dcbstore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailureLineTest {

    @Test
    void theLineNamesTheFailureAndItsCausesOnceEachAndHowToGetTheTrace() {
        IOException disk = new IOException("No space left on device");
        Exception failure = new IllegalStateException("the primary did not start", new UncheckedIOException(disk));

        assertThat(FailureLine.of("simulate", failure, false))
                .isEqualTo("simulate failed: IllegalStateException: the primary did not start (caused by:"
                        + " IOException: No space left on device)"
                        + " [--verbose for the stack trace]")
                .doesNotContain("\n");
    }

    @Test
    void aWrapperMadeOfItsCauseAloneIsNotRepeated() {
        Exception failure = new RuntimeException(new IOException("connection refused"));

        assertThat(FailureLine.of("bench-store", failure, true))
                .isEqualTo("bench-store failed: IOException: connection refused");
    }

    @Test
    void aCauseWhoseMessageTheFailureAlreadyQuotesIsNotRepeated() {
        Exception refused = new ConnectException("Connection refused");
        Exception driver = new IllegalStateException("Connection to 127.0.0.1:1 refused.", refused);
        Exception failure = new IllegalArgumentException("cannot connect: Connection to 127.0.0.1:1 refused.", driver);

        assertThat(FailureLine.of("simulate", failure, true))
                .isEqualTo("simulate failed: IllegalArgumentException: cannot connect: Connection to 127.0.0.1:1"
                        + " refused. (caused by: ConnectException: Connection refused)");
    }

    @Test
    void onlyTheFirstLineOfAMultiLineMessageIsKept() {
        Exception failure = new IllegalStateException("pg_ctl failed\nlog line 1\nlog line 2");

        assertThat(FailureLine.of("simulate", failure, true))
                .isEqualTo("simulate failed: IllegalStateException: pg_ctl failed ...");
    }
}
