package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dcbstore.DatabaseException;
import io.dcbstore.InvalidInputException;
import io.dcbstore.postgres.internal.JdbcUrls;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Passwords never appear in the store's errors, wherever the user put them. */
class SecretsTest {
    private static final String SECRET = "s3cret-Value";
    private static final String OTHER_SECRET = "an0ther-Secret";

    private static String everythingPrintedAbout(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void aPoolThatCannotConnectNamesTheUrlWithoutItsPassword() {
        Throwable failure = catchThrowable(() -> PostgresPools.newPool(
                "p",
                "jdbc:postgresql://127.0.0.1:1/db?user=x&password=" + SECRET + "&sslpassword=" + SECRET,
                "x",
                OTHER_SECRET,
                1));

        assertThat(failure).isInstanceOf(DatabaseException.class).hasMessageContaining("password=***");
        assertThat(everythingPrintedAbout(failure)).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefusedWithoutEchoingItsPassword() {
        Throwable failure = catchThrowable(
                () -> PostgresPools.newPool("p", "jdbc:mysql://u:" + SECRET + "@h/db?password=" + SECRET, "x", "y", 1));

        assertThat(failure).isInstanceOf(InvalidInputException.class);
        assertThat(everythingPrintedAbout(failure)).doesNotContain(SECRET);
    }

    @Test
    void redactionMasksEverySecretAndKeepsTheRest() {
        assertThat(JdbcUrls.redacted("jdbc:postgresql://h:5432/db?user=app&PASSWORD=x1;sslkey=/k&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=app&PASSWORD=***;sslkey=***&ssl=true");
        assertThat(JdbcUrls.redacted("jdbc:postgresql://app:pw@h/db")).isEqualTo("jdbc:postgresql://***@h/db");
        assertThat(JdbcUrls.redacted("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
