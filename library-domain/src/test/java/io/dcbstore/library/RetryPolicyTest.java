package io.dcbstore.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy NO_JITTER =
            new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(100), 2.0, 0.0);

    @Test
    void theBackoffDoublesWithEveryRetry() {
        assertThat(NO_JITTER.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(10));
        assertThat(NO_JITTER.backoff(2, 0.5)).isEqualTo(Duration.ofMillis(20));
        assertThat(NO_JITTER.backoff(3, 0.5)).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void theBackoffNeverExceedsTheMaximum() {
        assertThat(NO_JITTER.backoff(5, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(NO_JITTER.backoff(60, 0.0)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void jitterShortensTheBackoffByAtMostItsFraction() {
        RetryPolicy halfJitter = NO_JITTER.withJitter(0.5);

        assertThat(halfJitter.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(20));
        assertThat(halfJitter.backoff(2, 0.5)).isEqualTo(Duration.ofMillis(15));
        assertThat(halfJitter.backoff(2, 0.999_999)).isGreaterThan(Duration.ofMillis(10));
    }

    @Test
    void anInvalidPolicyReportsEveryProblemTogether() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofMillis(50), Duration.ofMillis(10), 0.5, 2.0))
                .isInstanceOfSatisfying(
                        InvalidLibraryInputException.class,
                        e -> assertThat(e.problems()).hasSize(4));
    }

    @Test
    void theDefaultsRetryWithJitteredExponentialBackoff() {
        RetryPolicy defaults = RetryPolicy.defaults();

        assertThat(defaults.maxAttempts()).isGreaterThan(1);
        assertThat(defaults.multiplier()).isGreaterThan(1.0);
        assertThat(defaults.jitter()).isPositive();
    }

    @Test
    void derivingAVariantLeavesTheOriginalUnchanged() {
        RetryPolicy variant = NO_JITTER.withMaxAttempts(3);

        assertThat(variant.maxAttempts()).isEqualTo(3);
        assertThat(NO_JITTER.maxAttempts()).isEqualTo(10);
    }
}
