package io.dcbstore;

import static io.dcbstore.PayloadPredicate.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Instants PostgreSQL's timestamptz cannot hold are refused by the API, before any SQL. A filter names
 * its bound as it keeps it, in microseconds.
 */
class TimestampRangeTest {
    private static final Filter FILTER = Filter.anyOf(FilterItem.types("A"));

    /** Outside, in the microseconds the store keeps: just before the earliest, at and after the end. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "-4713-11-23T23:59:59.999999Z",
                "-4713-11-23T23:59:59.999999999Z",
                "+294277-01-01T00:00:00Z",
                "+294277-01-01T00:00:00.000000001Z",
                "-1000000000-01-01T00:00:00Z",
                "+1000000000-12-31T23:59:59.999999999Z"
            })
    void anInstantOutsideTheRangeIsRefusedAsAnEventsTimeAndAsEitherBoundOfAFilter(String outside) {
        Instant instant = Instant.parse(outside);
        Instant kept = instant.truncatedTo(ChronoUnit.MICROS);

        assertThat(problemsOf(() -> new Event("A", "{}", "{}", instant)))
                .singleElement()
                .asString()
                .startsWith("occurredAt " + instant + " is outside the range PostgreSQL's timestamptz holds")
                .contains("-4713-11-24T00:00:00Z", "+294277-01-01T00:00:00Z");
        assertThat(problemsOf(() -> FILTER.occurredFrom(instant)))
                .singleElement()
                .asString()
                .startsWith("occurredFrom " + kept + " is outside");
        assertThat(problemsOf(() -> FILTER.occurredUntil(instant)))
                .singleElement()
                .asString()
                .startsWith("occurredUntil " + kept + " is outside");
    }

    /** Inside: the earliest instant, the last microsecond, and a nanosecond kept as that microsecond. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "-4713-11-24T00:00:00Z",
                "+294276-12-31T23:59:59.999999Z",
                "+294276-12-31T23:59:59.999999999Z",
                "1970-01-01T00:00:00Z"
            })
    void anInstantInsideTheRangeIsAccepted(String inside) {
        Instant instant = Instant.parse(inside);

        assertThatCode(() -> new Event("A", "{}", "{}", instant)).doesNotThrowAnyException();
        assertThatCode(() -> FILTER.occurredFrom(instant).occurredUntil(instant))
                .doesNotThrowAnyException();
    }

    @Test
    void bothBoundsOutOfRangeAreReportedTogetherWithTheOtherProblems() {
        List<String> problems = problemsOf(
                () -> new Filter(List.of(FilterItem.payload(eq("k", 1))), false, Instant.MAX, Instant.MIN, -1));

        assertThat(problems)
                .hasSize(4)
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("occurredFrom " + Instant.MAX.truncatedTo(ChronoUnit.MICROS) + " is outside"))
                .anySatisfy(problem -> assertThat(problem).startsWith("occurredUntil " + Instant.MIN + " is outside"))
                .anySatisfy(problem -> assertThat(problem).contains("is after occurredUntil"))
                .anySatisfy(problem -> assertThat(problem).contains("sequenceNumberAfter"));
    }

    private static List<String> problemsOf(Runnable construction) {
        return catchThrowableOfType(InvalidInputException.class, construction::run)
                .problems();
    }
}
