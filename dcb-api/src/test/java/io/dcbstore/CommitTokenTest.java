package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link CommitToken}: validation. */
class CommitTokenTest {

    @Test
    void negativeFieldsAreRejected() {
        assertThatThrownBy(() -> new CommitToken(-1, 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("commit token fields must not be negative");
        assertThatThrownBy(() -> new CommitToken(0, -1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void zeroFieldsAreAccepted() {
        assertThat(new CommitToken(0, 0)).isEqualTo(new CommitToken(0, 0));
    }
}
