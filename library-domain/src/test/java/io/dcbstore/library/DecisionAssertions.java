package io.dcbstore.library;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares decisions; any idempotent decision matches an expected idempotent one, whatever its wording. */
final class DecisionAssertions {
    /** Stands for "some idempotent decision" in rule tables. */
    static final Decision IDEMPOTENT = Decision.idempotent("expected to be idempotent");

    private DecisionAssertions() {}

    static void assertDecision(Decision actual, Decision expected) {
        if (expected instanceof Decision.Idempotent) {
            assertThat(actual).isInstanceOf(Decision.Idempotent.class);
            assertThat(actual.eventsToAppend()).isEmpty();
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }
}
