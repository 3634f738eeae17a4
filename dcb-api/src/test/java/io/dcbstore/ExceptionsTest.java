package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The exception types: whether a retry can help, and the diagnostic state in their messages. */
class ExceptionsTest {

    @Test
    void anAppendConditionFailureIsRetryableAndNamesBothSequenceNumbers() {
        AppendConditionFailedException error = new AppendConditionFailedException(41, 57);

        assertThat(error.isRetryable()).isTrue();
        assertThat(error.expectedMaxSequenceNumber()).isEqualTo(41);
        assertThat(error.foundMaxSequenceNumber()).isEqualTo(57);
        assertThat(error.getMessage()).contains("after sequence number 41").contains("found one at 57");
        assertThat(error).isInstanceOf(EventStoreException.class);
    }

    @Test
    void aTimeoutIsRetryableAndNamesTheOperationAndTheTimeoutInMilliseconds() {
        IOException cause = new IOException("socket");

        OperationTimeoutException error = new OperationTimeoutException("append", Duration.ofMillis(1500), cause);

        assertThat(error.isRetryable()).isTrue();
        assertThat(error.operation()).isEqualTo("append");
        assertThat(error.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(error.getMessage()).isEqualTo("append timed out after 1500 ms (cancelled on the server)");
        assertThat(error).hasCause(cause);
    }

    @Test
    void aDatabaseFailureIsRetryableOnlyWhenSaidSoAndShowsTheSqlState() {
        IOException cause = new IOException("driver");

        DatabaseException serialization = new DatabaseException("append failed", "40001", true, cause);
        DatabaseException syntax = new DatabaseException("query failed", "42601", false, null);

        assertThat(serialization.isRetryable()).isTrue();
        assertThat(syntax.isRetryable()).isFalse();
        assertThat(serialization.getMessage()).isEqualTo("append failed (SQLSTATE 40001)");
        assertThat(serialization.sqlState()).isEqualTo("40001");
        assertThat(serialization).hasCause(cause);
        assertThat(syntax.getMessage()).contains("42601");
    }

    @Test
    void aDatabaseFailureWithoutSqlStateHasNoSqlStateSuffix() {
        DatabaseException error = new DatabaseException("could not connect to primary:5432", null, true, null);

        assertThat(error.getMessage()).isEqualTo("could not connect to primary:5432");
        assertThat(error.sqlState()).isNull();
    }

    @Test
    void aCancelledOperationIsNotRetryableAndNamesTheOperation() {
        OperationCancelledException error = new OperationCancelledException("query", null);

        assertThat(error.isRetryable()).isFalse();
        assertThat(error.getMessage()).isEqualTo("query was cancelled by the caller");
    }

    @Test
    void invalidInputIsNotRetryableAndItsMessageListsEveryProblem() {
        InvalidInputException error = new InvalidInputException(List.of("first problem", "second problem"));

        assertThat(error.isRetryable()).isFalse();
        assertThat(error.problems()).containsExactly("first problem", "second problem");
        assertThat(error.getMessage()).isEqualTo("invalid input: first problem; second problem");
    }

    @Test
    void invalidInputKeepsItsOwnCopyOfTheProblems() {
        List<String> problems = new ArrayList<>(List.of("one"));
        InvalidInputException error = new InvalidInputException(problems);

        problems.add("two");

        assertThat(error.problems()).containsExactly("one");
        assertThatThrownBy(() -> error.problems().add("three")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalidInputNeedsAtLeastOneProblem() {
        assertThatThrownBy(() -> new InvalidInputException(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one problem");
    }

    @Test
    void anEventIdConflictIsNotRetryableAndNamesTheStoredIdsAndWhatDiffers() {
        UUID first = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID second = UUID.fromString("00000000-0000-0000-0000-000000000002");
        List<UUID> stored = new ArrayList<>(List.of(first, second));

        EventIdConflictException error = new EventIdConflictException(stored, "other payload");
        stored.clear();

        assertThat(error.isRetryable()).isFalse();
        assertThat(error.storedIds()).containsExactly(first, second);
        assertThat(error.getMessage())
                .isEqualTo("append refused: event ids [" + first + ", " + second
                        + "] are already stored for other events (other payload)");
        assertThat(error).isInstanceOf(EventStoreException.class).hasNoCause();
    }

    @Test
    void aConfigurationProblemIsNotRetryableAndKeepsItsMessage() {
        ConfigurationException error = new ConfigurationException("replica URL leads to a primary");

        assertThat(error.isRetryable()).isFalse();
        assertThat(error.getMessage()).isEqualTo("replica URL leads to a primary");
        assertThat(error).isInstanceOf(EventStoreException.class).hasNoCause();
    }

    @Test
    void everyStoreExceptionIsUnchecked() {
        assertThat(RuntimeException.class).isAssignableFrom(EventStoreException.class);
        assertThat(EventStoreException.class)
                .isAssignableFrom(InvalidInputException.class)
                .isAssignableFrom(AppendConditionFailedException.class)
                .isAssignableFrom(OperationTimeoutException.class)
                .isAssignableFrom(OperationCancelledException.class)
                .isAssignableFrom(DatabaseException.class)
                .isAssignableFrom(EventIdConflictException.class)
                .isAssignableFrom(ConfigurationException.class);
    }
}
