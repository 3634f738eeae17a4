package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link AppendOptions}: the default, validation and copies. */
class AppendOptionsTest {

    @Test
    void theDefaultHasNoTimeoutAndNoCancellation() {
        assertThat(AppendOptions.DEFAULT.timeout()).isNull();
        assertThat(AppendOptions.DEFAULT.cancellation()).isNull();
    }

    @Test
    void aZeroOrNegativeTimeoutIsRejectedShowingIt() {
        assertThatThrownBy(() -> AppendOptions.DEFAULT.withTimeout(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("append timeout must be positive, got PT0S");
        assertThatThrownBy(() -> new AppendOptions(Duration.ofSeconds(-1), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("got PT-1S");
    }

    @Test
    void copiesChangeOneFieldAndKeepTheOther() {
        Cancellation cancellation = Cancellation.create();

        AppendOptions options =
                AppendOptions.DEFAULT.withCancellation(cancellation).withTimeout(Duration.ofSeconds(2));

        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.cancellation()).isSameAs(cancellation);
        assertThat(AppendOptions.DEFAULT.cancellation()).isNull();
    }
}
