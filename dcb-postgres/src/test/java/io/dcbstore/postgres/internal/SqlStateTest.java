package io.dcbstore.postgres.internal;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.ConfigurationException;
import io.dcbstore.DatabaseException;
import io.dcbstore.EventStoreException;
import io.dcbstore.OperationTimeoutException;
import io.dcbstore.testkit.TestDatabase;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Whether the store reports an error as retryable, for every SQLSTATE it names: raised by the
 * server itself ({@code RAISE ... USING ERRCODE}) and mapped by a real operation.
 */
class SqlStateTest {
    /**
     * Retryable as documented (docs/design.md, "Errors", and each state's comment): conflicts,
     * timeouts, shutdowns, connection refusals, serialization failures, deadlocks and lock waits can
     * pass; an append-only violation, a split pipeline, a write to a standby, a duplicate event id
     * and a full lock table would fail the same way again.
     */
    private static final Map<String, Boolean> DOCUMENTED = Map.ofEntries(
            entry("DCB01", true),
            entry("DCB02", false),
            entry("DCB03", false),
            entry("57014", true),
            entry("57P01", true),
            entry("57P02", true),
            entry("57P03", true),
            entry("40001", true),
            entry("40P01", true),
            entry("55P03", true),
            entry("25006", false),
            entry("53300", true),
            entry("23505", false),
            entry("53200", false));

    private final DataSource database = TestDatabase.get().unpooled();

    @Test
    void everySqlStateTheStoreNamesHasADocumentedRetryability() {
        assertThat(Arrays.stream(SqlState.values()).map(SqlState::code))
                .containsExactlyInAnyOrderElementsOf(DOCUMENTED.keySet());
        for (SqlState state : SqlState.values()) {
            assertThat(SqlState.of(state.code())).isSameAs(state);
            assertThat(state.retryable()).as(state.code()).isEqualTo(DOCUMENTED.get(state.code()));
        }
    }

    @Test
    void anErrorTheServerRaisesWithEachNamedSqlStateIsRetryableAsDocumented() {
        DOCUMENTED.forEach(
                (code, retryable) -> assertThat(raisedOnTheServer(code).isRetryable())
                        .as("retryable after SQLSTATE %s", code)
                        .isEqualTo(retryable));
    }

    @Test
    void theStatesWithTheirOwnExceptionsMapToThem() {
        assertThat(raisedOnTheServer("DCB01")).isInstanceOf(AppendConditionFailedException.class);
        assertThat(raisedOnTheServer("DCB03")).isInstanceOf(ConfigurationException.class);
        assertThat(raisedOnTheServer("57014")).isInstanceOf(OperationTimeoutException.class);
        assertThat(raisedOnTheServer("40001"))
                .isInstanceOfSatisfying(
                        DatabaseException.class, e -> assertThat(e.sqlState()).isEqualTo("40001"));
    }

    @Test
    void aConnectionFailureIsRetryableAndAStateTheStoreDoesNotNameIsNot() {
        assertThat(raisedOnTheServer("08006").isRetryable()).isTrue();
        assertThat(raisedOnTheServer("42P01").isRetryable()).isFalse();
        assertThat(SqlState.of("42P01")).isNull();
        assertThat(SqlState.of(null)).isNull();
    }

    /** @return what an operation fails with when the server raises an error with the code */
    private EventStoreException raisedOnTheServer(String code) {
        return catchThrowableOfType(
                EventStoreException.class,
                () -> DatabaseCall.run(database, "probe", Duration.ofSeconds(10), null, (operation, connection) -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '" + code
                                + "'; END $$");
                    }
                    return null;
                }));
    }
}
