package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.DatabaseException;
import io.dcbstore.InvalidInputException;
import io.dcbstore.testkit.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;

/** Wrong {@code dcb.*} values stop the application at start, saying which and why. */
class InvalidPropertiesTest {
    @Test
    void aStoreSettingTheStoreRejectsFailsTheStartNamingEveryProblem() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withPropertyValues("dcb.store.default-timeout=-1s", "dcb.store.events-table=Not A Table")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("defaultTimeout must be positive")
                        .hasMessageContaining("eventsTable must match"));
    }

    @Test
    void aValueOfTheWrongTypeFailsTheStartNamingTheProperty() {
        StarterFixtures.runner()
                .withPropertyValues("dcb.store.default-timeout=soon")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("dcb.store.default-timeout")
                        .hasRootCauseInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void aReplicaWithoutAUrlAndAPoolSizeOfZeroAreReportedTogether() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withPropertyValues("dcb.replicas.reporting.user=reader", "dcb.pool-size=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(causes(context.getStartupFailure())).hasAtLeastOneElementOfType(BindException.class);
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .asInstanceOf(InstanceOfAssertFactories.type(InvalidInputException.class))
                            .extracting(InvalidInputException::problems)
                            .asInstanceOf(InstanceOfAssertFactories.LIST)
                            .containsExactly(
                                    "dcb.replicas.reporting.url is empty; it must be a jdbc:postgresql: URL",
                                    "dcb.pool-size must be at least 1, got 0");
                });
    }

    @Test
    void aPrimaryUrlOfAnotherDatabaseFailsTheStart() {
        StarterFixtures.runner()
                .withPropertyValues("dcb.primary.url=jdbc:mysql://localhost/library")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("dcb.primary.url must be a jdbc:postgresql: URL"));
    }

    @Test
    void aPrimaryNobodyListensOnFailsTheStartWithoutShowingThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StarterFixtures.runner()
                .withPropertyValues(
                        "dcb.primary.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres",
                        "dcb.primary.user=" + TestDatabase.get().user(),
                        "dcb.primary.password=very-secret")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    assertThat(causes(failure)).hasAtLeastOneElementOfType(DatabaseException.class);
                    assertThat(failure).hasStackTraceContaining("cannot connect pool 'dcb-primary'");
                    assertThat(stackTrace(failure)).doesNotContain("very-secret");
                });
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
