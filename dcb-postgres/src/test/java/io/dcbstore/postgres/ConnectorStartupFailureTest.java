package io.dcbstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcbstore.ConfigurationException;
import io.dcbstore.DatabaseException;
import io.dcbstore.testkit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When {@link PostgresStoreConnector#connect()} fails, every pool it opened is closed: no HikariCP
 * thread and no server session of its pools is left, and the error says what failed. The
 * sessions of each pool are told apart on the server by an application name in its URL.
 */
class ConnectorStartupFailureTest {
    private final TestDatabase database = TestDatabase.get();
    private final String primaryName = TestDatabase.uniqueName("cp");
    private final String replicaName = TestDatabase.uniqueName("cr");

    private String url(String applicationName) {
        return database.jdbcUrl() + "?ApplicationName=" + applicationName;
    }

    private PostgresStoreConnector connector() {
        return PostgresEventStore.connectTo(url(primaryName))
                .credentials(database.user(), database.password())
                .poolSize(2)
                .config(PostgresStoreConfig.defaults().withTables(primaryName, primaryName + "_snap"));
    }

    private void assertNothingOfThePoolsIsLeft(Set<String> threadsBefore) {
        ServerSessions.awaitNoneStartedSince(threadsBefore);
        ServerSessions.awaitNoSession(primaryName);
        ServerSessions.awaitNoSession(replicaName);
    }

    @Test
    void aFailedSchemaCheckClosesThePrimarysPoolAndNamesTheMissingTable() {
        Set<String> before = ServerSessions.storeThreads();
        PostgresStoreConnector connector = connector()
                .config(PostgresStoreConfig.defaults()
                        .withTables(primaryName, primaryName + "_snap")
                        .withCreateSchema(false));

        assertThatThrownBy(connector::connect)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the schema of " + primaryName + " is missing");
        assertNothingOfThePoolsIsLeft(before);
    }

    @Test
    void aReplicaThatIsAPrimaryClosesBothPools() {
        Set<String> before = ServerSessions.storeThreads();
        PostgresStoreConnector connector = connector().replica(replicaName, url(replicaName));

        assertThatThrownBy(connector::connect)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(replicaName);
        assertNothingOfThePoolsIsLeft(before);
    }

    @Test
    void aReplicaThatRefusesTheCredentialsClosesThePrimarysPoolAndTheErrorNamesThePoolWithoutTheSecret() {
        Set<String> before = ServerSessions.storeThreads();
        // The embedded server trusts its user whatever the password; a role it does not know is refused.
        PostgresStoreConnector connector =
                connector().replica(replicaName, url(replicaName) + "&user=no_such_role&password=wrong-secret");

        assertThatThrownBy(connector::connect).isInstanceOfSatisfying(DatabaseException.class, refused -> {
            assertThat(refused.sqlState()).as("invalid authorization").isEqualTo("28000");
            assertThat(refused.getMessage())
                    .contains("cannot connect pool 'dcb-" + replicaName + "'")
                    .contains("no_such_role")
                    .doesNotContain("wrong-secret");
        });
        assertNothingOfThePoolsIsLeft(before);
    }

    @Test
    void anUnreachableReplicaClosesThePrimarysPoolAndTheErrorIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Set<String> before = ServerSessions.storeThreads();
        PostgresStoreConnector connector = connector()
                .replica(
                        replicaName,
                        "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres?ApplicationName=" + replicaName);

        assertThatThrownBy(connector::connect).isInstanceOfSatisfying(DatabaseException.class, unreachable -> {
            assertThat(unreachable.isRetryable()).isTrue();
            assertThat(unreachable.sqlState()).as("connection failure").startsWith("08");
            assertThat(unreachable.getMessage())
                    .contains("cannot connect pool 'dcb-" + replicaName + "'")
                    .contains("127.0.0.1:" + closedPort);
        });
        assertNothingOfThePoolsIsLeft(before);
    }
}
