package io.dcbstore.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dcbstore.simulator.bench.MixParameters.Role;
import io.dcbstore.simulator.bench.RecordingDataSource.NullElement;
import io.dcbstore.simulator.bench.RecordingDataSource.RoundTrip;
import io.dcbstore.simulator.bench.RecordingDataSource.SqlArray;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Script generation from recorded round trips shaped like the store's (the IT records the store's own). */
class MixScriptsTest {
    private static final String READ = String.join(
            ";\n",
            "SET transaction_isolation = 'read committed'",
            "SELECT set_config('dcb.pipeline', 'on', true) IS NOT NULL, set_config('statement_timeout', ?, true) IS NOT NULL,"
                    + " set_config('plan_cache_mode', ?, true) IS NOT NULL, set_config('max_parallel_workers_per_gather',"
                    + " coalesce(?, current_setting('max_parallel_workers_per_gather')), true) IS NOT NULL",
            "SELECT set_config('dcb.mark', m.mark::text, true)::bigint, m.server_start, m.mark_xid, m.more"
                    + " FROM events_safe_mark(?::bigint[], ?::bigint[], ?::bigint[]) AS m",
            "SELECT sequence_number, event_type FROM events WHERE (event_type = ANY(?::text[]) AND payload @> ?::jsonb)"
                    + " AND sequence_number <= current_setting('dcb.mark')::bigint AND current_setting('dcb.mark')::bigint >= ?"
                    + " ORDER BY sequence_number");
    private static final String READ_AFTER =
            READ.replace("payload @> ?::jsonb)", "payload @> ?::jsonb) AND sequence_number > ?");
    private static final String APPEND = String.join(
            ";\n",
            "SET transaction_isolation = 'read committed'",
            "SELECT set_config('statement_timeout', ?, true) IS NOT NULL",
            "SELECT count(CASE WHEN x THEN pg_advisory_xact_lock(k) ELSE pg_advisory_xact_lock_shared(k) END)"
                    + " FROM unnest(?::bigint[], ?::boolean[]) AS l(k, x)",
            "SELECT events_condition_failed_if(c.found > ?, c.found) IS NOT NULL FROM (SELECT coalesce(max(sequence_number + 0), 0)"
                    + " AS found FROM events WHERE (event_type = ANY(?::text[]) AND payload @> ?::jsonb)) AS c",
            "WITH l AS MATERIALIZED (SELECT pg_advisory_lock(?, ?) AS locked) INSERT INTO events (event_type, payload, event_id)"
                    + " SELECT e.t, e.p::jsonb, e.i FROM l CROSS JOIN unnest(?::text[], ?::text[], ?::uuid[]) AS e(t, p, i)");
    /** A pgbench variable, not a cast ({@code ::text}). */
    private static final String VARIABLE = "(?<!:):(c[0-9]+_[0-9]+|v[0-9]+_[0-9]+|ms|mk|mx|workers|pl[0-9]+|ids[0-9]+)";

    private static final SqlArray TYPES = new SqlArray("text", List.of("BookCopyLentToReader", "ReaderRegistered"));

    private static RoundTrip read(String server, String document, long token) {
        return new RoundTrip(
                server,
                READ,
                Arrays.asList(
                        "999",
                        "force_generic_plan",
                        "0",
                        array("int8", 17L),
                        array("int8", 5L),
                        array("int8", 700L),
                        TYPES,
                        document,
                        token));
    }

    private static RoundTrip append(String document, String timeout, long lockKey, String book) {
        return new RoundTrip(
                "primary",
                APPEND,
                Arrays.asList(
                        timeout,
                        array("int8", lockKey, 42L),
                        array("bool", true, false),
                        12L,
                        TYPES,
                        document,
                        3531,
                        1,
                        array("text", "BookCopyLentToReader"),
                        array("text", "{\"BookID\":\"" + book + "\",\"ReaderID\":\"reader-7\"}"),
                        array("uuid", java.util.UUID.randomUUID())));
    }

    private static SqlArray array(String type, Object... elements) {
        return new SqlArray(type, List.of(elements));
    }

    private static MixSample.Request lend(int book) {
        String document = "{\"BookID\":\"book-" + book + "\"}";
        return new MixSample.Request(
                RequestKind.LEND,
                List.of(
                        read("primary", document, book),
                        append(document, "99" + book % 10, book * 31L, "book-" + book)),
                1000);
    }

    @Test
    void eachPathOfAKindStandsForItsShareOfTheKindsWeightInTheMix() {
        List<MixSample.Request> sample = new ArrayList<>(List.of(lend(1), lend(2), lend(3)));
        sample.add(
                new MixSample.Request(RequestKind.LEND, List.of(read("primary", "{\"BookID\":\"book-4\"}", 0)), 1000));
        sample.add(new MixSample.Request(
                RequestKind.BOOKS_LENT_OUT, List.of(read("replica", "{\"ReaderID\":\"r\"}", 0)), 1000));
        sample.add(new MixSample.Request(RequestKind.REGISTERED_READERS, List.of(), 1000));

        MixScripts.Plan plan = MixScripts.plan(sample, Mix.defaults());

        double total = Arrays.stream(RequestKind.values())
                .mapToInt(RequestKind::defaultWeight)
                .sum();
        assertThat(plan.scripts()).hasSize(3);
        assertThat(plan.scripts().get(0).kind()).isEqualTo(RequestKind.LEND);
        assertThat(plan.scripts().get(0).share()).isCloseTo(15 / total * 3 / 4, within(1e-12));
        assertThat(plan.scripts().get(0).rows()).hasSize(3);
        assertThat(plan.scripts().get(1).share()).isCloseTo(15 / total / 4, within(1e-12));
        assertThat(plan.scripts().get(2).server()).isEqualTo("replica");
        assertThat(plan.scripts().get(2).share()).isCloseTo(5 / total, within(1e-12));
        assertThat(plan.freeShare()).isCloseTo(5 / total, within(1e-12));
        assertThat(plan.servers()).containsExactly("primary", "replica");
    }

    @Test
    void theReplayedRoundTripsAreTheStoresStatementsWithEveryPlaceholderBoundToAVariable() {
        MixScripts.Script script = MixScripts.plan(List.of(lend(1), lend(2)), Mix.defaults())
                .scripts()
                .get(0);

        String body = MixScripts.body(script, 3);

        List<String> expected = new ArrayList<>();
        for (RoundTrip trip : script.roundTrips()) {
            expected.add("\\startpipeline");
            for (String statement : trip.sql().split(";\n")) {
                expected.add(statement + ";");
            }
            expected.add("\\endpipeline");
        }
        List<String> lines = body.lines().toList();
        assertThat(lines).hasSize(expected.size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).replaceAll(VARIABLE, "?")).isEqualTo(expected.get(i));
        }
        assertThat(body).doesNotContain("?");
    }

    @Test
    void valuesEverySampledRequestSharedAreConstantsAndTheOthersAreFetchedOrComputed() {
        MixScripts.Script script = MixScripts.plan(List.of(lend(1), lend(2)), Mix.defaults())
                .scripts()
                .get(0);

        List<Role> roles =
                script.bindings().stream().map(MixScripts.Binding::role).toList();
        assertThat(roles.subList(3, 6)).containsExactly(Role.MARK_SERVER_START, Role.MARK, Role.MARK_TRANSACTION_ID);
        assertThat(roles)
                .contains(Role.TIMEOUT, Role.EXPECTED, Role.PAYLOADS, Role.EVENT_IDS)
                .doesNotContain(Role.POSITION);
        String body = MixScripts.body(script, 1);
        assertThat(body)
                .contains("events_safe_mark(:ms::bigint[], :mk::bigint[], :mx::bigint[])")
                .contains("unnest(:c1_18::text[], :pl1::text[], :ids1::uuid[])")
                .contains("c.found > :c1_13,");
        // The book's document, sent by the read and by the append's check, is one fetched value.
        assertThat(body).contains("payload @> :v1_1::jsonb) AND").contains("payload @> :v1_1::jsonb)) AS c");
        List<String> constants = script.constants();
        assertThat(constants).contains("c1_1=999", "c1_2=force_generic_plan", "c1_13=" + Long.MAX_VALUE);
        assertThat(constants).contains("c1_10=992", "c1_7={\"BookCopyLentToReader\",\"ReaderRegistered\"}");
        assertThat(script.rows().get(1).columns()).contains("{\"BookID\":\"book-2\"}", "{\"62\",\"42\"}");
        assertThat(script.rows().get(1).payload())
                .isEqualTo("{\"{\\\"BookID\\\":\\\"${book}\\\",\\\"ReaderID\\\":\\\"${reader}\\\"}\"}");
        assertThat(script.rows().get(1).ids()).isEqualTo(1);
    }

    @Test
    void aPositionIsReplayedAsFarBehindTheNewestEventAsItWasWhenRecorded() {
        List<Object> parameters =
                new ArrayList<>(read("replica", "{\"ReaderID\":\"r\"}", 0).parameters());
        parameters.add(8, 950L);
        parameters.set(2, null);
        RoundTrip trip = new RoundTrip("replica", READ_AFTER, parameters);
        MixSample.Request request = new MixSample.Request(RequestKind.BOOKS_LENT_BY_READER, List.of(trip), 1000);

        MixScripts.Script script =
                MixScripts.plan(List.of(request), Mix.defaults()).scripts().get(0);

        assertThat(script.bindings().get(2).role()).isEqualTo(Role.SERVER_SETTING);
        assertThat(script.bindings().get(8).role()).isEqualTo(Role.POSITION);
        assertThat(script.rows().get(0).columns()).containsExactly("50");
        assertThat(MixScripts.body(script, 2))
                .startsWith("\\set v2_1 greatest(1, :seq - :v2_1)\n")
                .contains("coalesce(:workers, current_setting")
                .contains("AND sequence_number > :v2_1 AND");
    }

    @Test
    void aNullValueOtherThanTheParallelWorkersSettingIsRefused() {
        RoundTrip trip = new RoundTrip("primary", "SELECT ?::text", Arrays.asList((Object) null));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MixParameters.roles(trip))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("null parameter");
        assertThat(MixParameters.text(new SqlArray("uuid", List.of(NullElement.NULL))))
                .isEqualTo("{NULL}");
    }

    @Test
    void eachProcessDrawsItsScriptsInEverySlotAfterOneFetchOfTheValuesOfFourRequests() {
        MixScripts.Plan plan = MixScripts.plan(List.of(lend(1), lend(2)), Mix.defaults());
        MixDispatcher.Side side = new MixDispatcher.Side(1, "primary", "primary", plan.scripts(), 0.15, 0);

        String script = MixDispatcher.script(side, "events", 200, 50);

        assertThat(script).contains("\\set slot :slot % 4 + 1\n\\if :slot = 1\n");
        assertThat(script.lines().filter(line -> line.endsWith("\\gset"))).hasSize(1);
        for (int slot = 1; slot <= MixDispatcher.SLOTS; slot++) {
            assertThat(script).contains("\\if :s" + slot + " = 1\n-- 01-lend\n\\startpipeline\n");
            assertThat(script).contains("d" + slot + ".side = 1 AND d" + slot + ".draw = :d" + slot);
            assertThat(script)
                    .contains("dcb_bench_mix_draw AS d" + slot + " JOIN dcb_bench_mix AS p" + slot + " ON p" + slot
                            + ".script = d" + slot + ".script AND p" + slot + ".n = d" + slot + ".n");
            assertThat(script).contains("'book-' || floor(random() * 200)::bigint");
        }
        assertThat(MixDispatcher.withoutBodies(side, "events", 200, 50)).doesNotContain("INSERT INTO events");
        assertThat(MixDispatcher.variables(side)).startsWith("-D", "slot=0").contains("c1_1=999");
    }

    @Test
    void theStoresBackgroundWorkBecomesOneScriptPerStatementAtTheRateTheSampleSawIt() {
        RoundTrip notify = new RoundTrip(
                "primary",
                "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, '')",
                List.of("dcb_events"));
        RoundTrip health = new RoundTrip("replica", "SELECT pg_is_in_recovery()", List.of());
        MixSample.Recorded sample = new MixSample.Recorded(
                List.of(lend(1)), List.of(notify, notify, notify, notify, health), java.time.Duration.ofSeconds(2));

        MixScripts.Plan plan = MixScripts.plan(sample, Mix.defaults());

        assertThat(plan.scripts()).hasSize(1);
        assertThat(plan.background()).hasSize(2);
        assertThat(plan.background("primary").get(0).name()).isEqualTo("02-background");
        assertThat(plan.backgroundRate("primary")).isEqualTo(2.0);
        assertThat(plan.backgroundRate("replica")).isEqualTo(0.5);
        assertThat(MixScripts.body(plan.background("primary").get(0), 1))
                .isEqualTo("SELECT set_config('synchronous_commit', 'off', true), pg_notify(:c2_1, '');\n");
    }
}
