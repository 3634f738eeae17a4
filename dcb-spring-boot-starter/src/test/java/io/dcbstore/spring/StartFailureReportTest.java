package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.spring.internal.EventStoreFailureAnalyzer;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** What Spring Boot prints when the store stops the start: the store's message and what to do. */
class StartFailureReportTest {
    private final EventStoreFailureAnalyzer analyzer = new EventStoreFailureAnalyzer();

    @Test
    void invalidStoreSettingsAreReportedWithThePropertiesToCorrect() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withPropertyValues("dcb.store.default-timeout=0s")
                .run(context -> {
                    FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .startsWith("The DCB event store could not start")
                            .contains("defaultTimeout must be positive");
                    assertThat(analysis.getAction()).contains("dcb.store.default-timeout");
                });
    }

    @Test
    void aPrimaryThatCannotBeReachedIsReportedAsSomethingToStartOrReach() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StarterFixtures.runner()
                .withPropertyValues("dcb.primary.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres")
                .run(context -> {
                    FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("cannot connect pool 'dcb-primary'");
                    assertThat(analysis.getAction()).contains("running and reachable");
                });
    }
}
