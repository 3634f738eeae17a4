package io.dcbstore.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcbstore.EventStore;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.testkit.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;

/** What the auto-configuration makes, from which properties, and how an application replaces it. */
class DcbAutoConfigurationTest {
    @Test
    void aStoreIsBuiltFromThePrimaryPropertiesAndWorks() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .run(context -> {
                    assertThat(context).hasSingleBean(EventStore.class).hasSingleBean(PostgresEventStore.class);
                    assertThat(StarterFixtures.appendAndCount(context.getBean(EventStore.class)))
                            .isEqualTo(1);
                });
    }

    @Test
    void aStoreIsBuiltOnTheApplicationsDataSourceWhenNoPrimaryUrlIsSet() {
        DataSource dataSource = TestDatabase.get().unpooled();
        String table = TestDatabase.uniqueName("app_ds");
        StarterFixtures.runner()
                .withBean(DataSource.class, () -> dataSource)
                .withPropertyValues("dcb.store.events-table=" + table, "dcb.store.snapshots-table=" + table + "_snap")
                .run(context -> {
                    PostgresEventStore store = context.getBean(PostgresEventStore.class);
                    assertThat(store.primary()).isSameAs(dataSource);
                    assertThat(StarterFixtures.appendAndCount(store)).isEqualTo(1);
                });
    }

    @Test
    void noStoreIsMadeWithoutAPrimaryUrlOrADataSource() {
        StarterFixtures.runner().run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(EventStore.class);
            assertThat(context).hasSingleBean(DcbProperties.class);
        });
    }

    @Test
    void withoutStorePropertiesTheConfigurationIsTheStoresOwnDefaults() {
        StarterFixtures.runner()
                .run(context -> assertThat(
                                context.getBean(DcbProperties.class).getStore().toStoreConfig())
                        .isEqualTo(PostgresStoreConfig.defaults()));
    }

    @Test
    void everyStorePropertyReachesTheStoreConfiguration() {
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withPropertyValues(
                        "dcb.store.max-payload-bytes=2048",
                        "dcb.store.default-timeout=7s",
                        "dcb.store.stream-fetch-size=50",
                        "dcb.store.create-schema=true",
                        "dcb.store.max-replica-lag=750ms",
                        "dcb.store.read-your-writes-wait=120ms",
                        "dcb.store.health-check-interval=1s",
                        "dcb.store.snapshot-timeout=1m",
                        "dcb.store.notify-interval=0")
                .run(context -> {
                    DcbProperties properties = context.getBean(DcbProperties.class);
                    PostgresStoreConfig expected = PostgresStoreConfig.defaults()
                            .withTables(
                                    properties.getStore().getEventsTable(),
                                    properties.getStore().getSnapshotsTable())
                            .withMaxPayloadBytes(2048)
                            .withDefaultTimeout(Duration.ofSeconds(7))
                            .withStreamFetchSize(50)
                            .withReplicaRouting(Duration.ofMillis(750), Duration.ofMillis(120), Duration.ofSeconds(1))
                            .withSnapshotTimeout(Duration.ofMinutes(1))
                            .withNotifyInterval(Duration.ZERO);
                    assertThat(properties.getStore().toStoreConfig()).isEqualTo(expected);
                    assertThat(properties.getStore().getEventsTable()).startsWith("spring_");
                    // The store created and uses the configured table.
                    PostgresEventStore store = context.getBean(PostgresEventStore.class);
                    assertThat(StarterFixtures.appendAndCount(store)).isEqualTo(1);
                    assertThat(rowsIn(store.primary(), properties.getStore().getEventsTable()))
                            .isEqualTo(1);
                });
    }

    @Test
    void theApplicationsOwnEventStoreReplacesTheAutoConfiguredOne() {
        String table = TestDatabase.uniqueName("own");
        try (PostgresEventStore own = PostgresEventStore.create(
                TestDatabase.get().unpooled(), PostgresStoreConfig.defaults().withTables(table, table + "_snap"))) {
            StarterFixtures.runner()
                    .withPropertyValues(StarterFixtures.testDatabaseProperties())
                    .withBean("myStore", EventStore.class, () -> own)
                    .run(context -> assertThat(context)
                            .hasSingleBean(EventStore.class)
                            .getBean(EventStore.class)
                            .isSameAs(own));
        }
    }

    @Test
    void theApplicationsCustomizersSeeTheBuilderBeforeTheStoreIsBuilt() {
        AtomicInteger customized = new AtomicInteger();
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withBean(EventStoreBuilderCustomizer.class, () -> builder -> customized.incrementAndGet())
                .run(context -> {
                    assertThat(context).hasSingleBean(EventStore.class);
                    assertThat(customized).hasValue(1);
                });
    }

    @Test
    void theApplicationsMeterRegistryRecordsTheStoresCalls() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withBean(MeterRegistry.class, () -> meters)
                .run(context -> {
                    StarterFixtures.appendAndCount(context.getBean(EventStore.class));
                    assertThat(meters.find("dcb.store.operations").timers()).isNotEmpty();
                });
    }

    @Test
    void theApplicationsObservationRegistryGetsOneObservationPerCall() {
        List<String> observed = new ArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                observed.add(context.getName());
            }
        });
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withBean(ObservationRegistry.class, () -> observations)
                .run(context -> {
                    StarterFixtures.appendAndCount(context.getBean(EventStore.class));
                    assertThat(observed).contains("dcb.store.operation");
                });
    }

    @Test
    void theRegistryCustomizersCanBeReplacedByName() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StarterFixtures.runner()
                .withPropertyValues(StarterFixtures.testDatabaseProperties())
                .withBean(MeterRegistry.class, () -> meters)
                .withBean("dcbMeterRegistryCustomizer", EventStoreBuilderCustomizer.class, () -> builder -> {})
                .run(context -> {
                    StarterFixtures.appendAndCount(context.getBean(EventStore.class));
                    assertThat(meters.find("dcb.store.operations").timers()).isEmpty();
                });
    }

    @Test
    void withoutMicrometerOnTheClasspathNoRegistryIsHandedToTheStore() {
        StarterFixtures.runner()
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean("dcbMeterRegistryCustomizer")
                        .doesNotHaveBean("dcbObservationRegistryCustomizer"));
    }

    private static long rowsIn(DataSource dataSource, String table) throws Exception {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
