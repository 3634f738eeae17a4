package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.ConfigurationException;
import io.dcbstore.EventStore;
import io.dcbstore.embedded.EmbeddedPostgres;
import io.dcbstore.embedded.ServerSettings;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Review of the starter: how Spring Boot users will break it. Failing tests here are findings. */
@ExtendWith(OutputCaptureExtension.class)
class StarterUnderUsersConfigurationsTest {

    // ---------- F1: an empty dcb.primary.url (e.g. dcb.primary.url=${DB_URL:}) ----------
    @Test
    void anEmptyPrimaryUrlMeansTheApplicationsDataSourceAsIfUnset() {
        DataSource dataSource = TestDatabase.get().unpooled();
        String table = TestDatabase.uniqueName("empty_url");
        StarterFixtures.runner()
                .withBean(DataSource.class, () -> dataSource)
                .withPropertyValues(
                        "dcb.primary.url=",
                        "dcb.store.events-table=" + table,
                        "dcb.store.snapshots-table=" + table + "_snap")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PostgresEventStore.class).primary())
                            .isSameAs(dataSource);
                });
    }

    // ---------- F2: replicas with the application's DataSource: whose credentials? ----------
    @Test
    void aReplicaWithoutCredentialsNextToTheApplicationsDataSourceGetsUsableCredentials() {
        TestDatabase db = TestDatabase.get();
        HikariDataSource appPool = db.newPool("app", 2);
        String table = TestDatabase.uniqueName("rep_cred");
        try (appPool) {
            StarterFixtures.runner()
                    .withBean(DataSource.class, () -> appPool)
                    .withPropertyValues(
                            // the "replica" is the primary itself: only credentials matter here
                            "dcb.replicas.r1.url=" + db.jdbcUrl(),
                            "dcb.pool-size=1",
                            "dcb.store.events-table=" + table,
                            "dcb.store.snapshots-table=" + table + "_snap")
                    .run(context -> {
                        // The "replica" is the primary itself, so the store refuses it; that it got as far as
                        // asking whether it is in recovery shows it logged in as the application pool's user
                        // (before: "role root does not exist", the operating system's user).
                        assertThat(context).hasFailed();
                        assertThat(context.getStartupFailure())
                                .rootCause()
                                .isInstanceOf(ConfigurationException.class)
                                .hasMessageContaining("is not in recovery");
                    });
        }
    }

    // ---------- F4: spring.datasource.url alone (the normal Boot way) ----------
    @Test
    void springDatasourcePropertiesWithoutTheJdbcStarterFailTheStartSayingWhatToAdd() {
        TestDatabase db = TestDatabase.get();
        String table = TestDatabase.uniqueName("sds");
        SpringApplicationBuilder application = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.datasource.url=" + db.jdbcUrl(),
                        "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + db.password(),
                        "dcb.store.events-table=" + table,
                        "dcb.store.snapshots-table=" + table + "_snap");
        // This module's classpath has no spring-boot-starter-jdbc, so Boot makes no DataSource from them.
        assertThatThrownBy(application::run)
                .rootCause()
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("add spring-boot-starter-jdbc");
    }

    // ---------- F5: the failure analyzer as Spring Boot really uses it ----------
    @Test
    void anInvalidPropertyIsReportedByTheStoresAnalyzerInARealApplication(CapturedOutput output) {
        TestDatabase db = TestDatabase.get();
        try {
            new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    .properties("dcb.primary.url=" + db.jdbcUrl(), "dcb.primary.user=" + db.user(), "dcb.pool-size=0")
                    .run()
                    .close();
        } catch (RuntimeException expected) {
            // reported below
        }
        assertThat(output.toString()).contains("APPLICATION FAILED TO START");
        assertThat(output.toString()).contains("The DCB event store could not start");
    }

    // ---------- F6: an application's PostgresStoreConfig bean ----------
    @Test
    void theApplicationsPostgresStoreConfigBeanIsUsed() {
        String table = TestDatabase.uniqueName("cfgbean");
        PostgresStoreConfig own = PostgresStoreConfig.defaults()
                .withTables(table, table + "_snap")
                .withDefaultTimeout(Duration.ofSeconds(9));
        String[] primaryOnly = java.util.Arrays.stream(StarterFixtures.testDatabaseProperties())
                .filter(p -> !p.startsWith("dcb.store."))
                .toArray(String[]::new);
        StarterFixtures.runner()
                .withPropertyValues(primaryOnly)
                .withBean(PostgresStoreConfig.class, () -> own)
                .run(context -> assertThat(
                                context.getBean(PostgresEventStore.class).config())
                        .isEqualTo(own));
    }

    // ---------- F8: health blocks as long as the application's pool timeout ----------
    @Test
    void theHealthCheckAnswersWithinSecondsWhenThePrimaryIsDown() {
        try (EmbeddedPostgres server = EmbeddedPostgres.start(ServerSettings.forTests())) {
            HikariConfig config = new HikariConfig(); // Boot's defaults: connectionTimeout 30 s
            config.setJdbcUrl(server.jdbcUrl("postgres"));
            config.setUsername(EmbeddedPostgres.USER);
            config.setMaximumPoolSize(2);
            try (HikariDataSource appPool = new HikariDataSource(config)) {
                StarterFixtures.runner()
                        .withBean(DataSource.class, () -> appPool)
                        .run(context -> {
                            HealthIndicator indicator = context.getBean("dcbHealthIndicator", HealthIndicator.class);
                            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                            server.stopServer();
                            long start = System.nanoTime();
                            Health health = indicator.health();
                            long millis = (System.nanoTime() - start) / 1_000_000;
                            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                            assertThat(millis).as("ms the health check blocked").isLessThan(5_000);
                        });
            }
        }
    }

    // ---------- held up? ----------
    @Test
    void durationsWithUnitsBind() {
        StarterFixtures.runner()
                .withPropertyValues(
                        "dcb.store.default-timeout=PT2S",
                        "dcb.store.max-replica-lag=500ms",
                        "dcb.store.snapshot-timeout=2s",
                        "dcb.store.read-your-writes-wait=150")
                .run(context -> {
                    DcbProperties.Store store =
                            context.getBean(DcbProperties.class).getStore();
                    assertThat(store.getDefaultTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(store.getMaxReplicaLag()).isEqualTo(Duration.ofMillis(500));
                    assertThat(store.getSnapshotTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(store.getReadYourWritesWait()).isEqualTo(Duration.ofMillis(150));
                });
    }

    @Test
    void environmentVariablesBind() {
        TestDatabase db = TestDatabase.get();
        String table = TestDatabase.uniqueName("env");
        Map<String, Object> env = Map.of(
                "DCB_PRIMARY_URL",
                db.jdbcUrl(),
                "DCB_PRIMARY_USER",
                db.user(),
                "DCB_PRIMARY_PASSWORD",
                db.password(),
                "DCB_POOLSIZE",
                "2",
                "DCB_STORE_EVENTSTABLE",
                table,
                "DCB_STORE_SNAPSHOTSTABLE",
                table + "_snap",
                "DCB_STORE_DEFAULTTIMEOUT",
                "3s");
        StarterFixtures.runner()
                .withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource("systemEnvironment", env)))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(PostgresEventStore.class);
                    PostgresEventStore store = context.getBean(PostgresEventStore.class);
                    assertThat(store.config().eventsTable()).isEqualTo(table);
                    assertThat(store.config().defaultTimeout()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void twoDataSourcesOneOfThemPrimary() {
        DataSource first = TestDatabase.get().unpooled();
        DataSource second = TestDatabase.get().unpooled();
        String table = TestDatabase.uniqueName("two_ds");
        StarterFixtures.runner()
                .withBean("first", DataSource.class, () -> first, bd -> bd.setPrimary(true))
                .withBean("second", DataSource.class, () -> second)
                .withPropertyValues("dcb.store.events-table=" + table, "dcb.store.snapshots-table=" + table + "_snap")
                .run(context -> assertThat(
                                context.getBean(PostgresEventStore.class).primary())
                        .isSameAs(first));
    }

    @Test
    void twoDataSourcesWithoutAPrimaryGiveNoStoreAndNoFailure() {
        DataSource first = TestDatabase.get().unpooled();
        DataSource second = TestDatabase.get().unpooled();
        StarterFixtures.runner()
                .withBean("first", DataSource.class, () -> first)
                .withBean("second", DataSource.class, () -> second)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EventStore.class));
    }

    @Test
    void closingTheContextStopsEveryThreadAndConnectionTheStoreStarted() throws Exception {
        Set<String> before = dcbThreads();
        TestDatabase db = TestDatabase.get();
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    EventStore store = context.getBean(EventStore.class);
                    store.subscribe(io.dcbstore.Filter.anyOf(io.dcbstore.FilterItem.types("X")), 0);
                    StarterFixtures.appendAndCount(store);
                    assertThat(dcbThreads()).as("threads while running").isNotEqualTo(before);
                    assertThat(dcbConnections(db))
                            .as("connections while running")
                            .isPositive();
                });
        Thread.sleep(1_000);
        assertThat(dcbThreads()).as("threads after close").isEqualTo(before);
        assertThat(dcbConnections(db)).as("dcb-primary connections after close").isZero();
    }

    private static long dcbConnections(TestDatabase db) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                var statement = connection.createStatement();
                var rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dcb-primary'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Set<String> dcbThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("dcb") || name.contains("housekeeper") || name.contains("HikariPool"))
                .collect(Collectors.toSet());
    }

    /** A Boot application with auto-configuration only. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
