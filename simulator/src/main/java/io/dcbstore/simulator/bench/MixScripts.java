package io.dcbstore.simulator.bench;

import io.dcbstore.simulator.bench.MixParameters.Role;
import io.dcbstore.simulator.bench.RecordingDataSource.RoundTrip;
import io.dcbstore.simulator.load.Mix;
import io.dcbstore.simulator.load.RequestKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The sampled requests grouped by path: one script per request kind and sequence of round trips
 * (a lend that appended, one that found its copy lent and appended the failure event, an add that
 * found the copy there already and appended nothing...), with the share of the mix it stands for
 * (the kind's weight times how often the sample took that path) and one row of parameters per
 * sampled request. {@link MixDispatcher} turns them into pgbench scripts.
 */
final class MixScripts {
    /**
     * How one parameter reaches pgbench.
     *
     * @param role what it is
     * @param constant its value when every sampled request sent the same (given to pgbench with
     *     {@code -D}), else {@code null}
     * @param column its column among the values fetched per request (from 1), or 0
     */
    record Binding(Role role, String constant, int column) {
        /**
         * @param script the script's id
         * @param index the parameter's index in the script, from 1
         * @param slot the request's slot in its fetch
         * @return the pgbench variable that holds its value
         */
        String variable(int script, int index, int slot) {
            if (constant != null) {
                return "c" + script + "_" + index;
            }
            if (column > 0) {
                return "v" + slot + "_" + column;
            }
            return switch (role) {
                case PAYLOADS -> "pl" + slot;
                case EVENT_IDS -> "ids" + slot;
                default -> MixParameters.sharedVariable(role);
            };
        }
    }

    /**
     * A sampled request's values, as the replay fetches them.
     *
     * @param columns the values that differ between requests, in column order
     * @param payload its event payloads with placeholders for their ids (empty without an append)
     * @param ids how many event ids its append carries (0 without one)
     */
    record Row(List<String> columns, String payload, int ids) {}

    /**
     * One path.
     *
     * @param id its number
     * @param server where its round trips go: {@code primary} or {@code replica}
     * @param kind the request kind, or {@code null} for the store's background work
     * @param share the share of all requests it stands for (0 for background work)
     * @param roundTrips the round trips of its first sampled request (every one of its requests
     *     sent the same SQL text; only the values differ)
     * @param bindings how each parameter reaches pgbench, in order over the round trips
     * @param rows per sampled request, its values
     */
    record Script(
            int id,
            String server,
            RequestKind kind,
            double share,
            List<RoundTrip> roundTrips,
            List<Binding> bindings,
            List<Row> rows) {
        /** @return a short name for reports */
        String name() {
            return String.format(Locale.ROOT, "%02d-%s", id, kind == null ? "background" : kind.key());
        }

        /** @return how many values are fetched per request */
        int columns() {
            return (int) bindings.stream()
                    .filter(binding -> binding.column() > 0)
                    .map(Binding::column)
                    .distinct()
                    .count();
        }

        /** @return the {@code -D name=value} options of its constants */
        List<String> constants() {
            List<String> options = new ArrayList<>();
            for (int i = 0; i < bindings.size(); i++) {
                if (bindings.get(i).constant() != null) {
                    options.add("-D");
                    options.add(bindings.get(i).variable(id, i + 1, 0) + "="
                            + bindings.get(i).constant());
                }
            }
            return options;
        }
    }

    /**
     * The scripts and what the sample left out.
     *
     * @param scripts the scripts of the requests
     * @param freeShare the share of requests that sent nothing to the database (answered from memory)
     * @param leftOut sampled requests left out: their round trips went to both servers, or they appended twice
     * @param background the scripts of the store's background work, one per statement and server
     * @param sampled how long the sample took: background work per second is the rows of its scripts over this
     */
    record Plan(List<Script> scripts, double freeShare, int leftOut, List<Script> background, Duration sampled) {
        /** @return the servers with scripts, in name order ({@code primary} before {@code replica}) */
        List<String> servers() {
            return scripts.stream().map(Script::server).distinct().sorted().toList();
        }

        /**
         * @param server a server
         * @return the background work's scripts on it
         */
        List<Script> background(String server) {
            return background.stream()
                    .filter(script -> script.server().equals(server))
                    .toList();
        }

        /**
         * @param server a server
         * @return the background work's round trips per second on it
         */
        double backgroundRate(String server) {
            double seconds = sampled.toNanos() / 1e9;
            return seconds <= 0
                    ? 0
                    : background(server).stream()
                                    .mapToInt(script -> script.rows().size())
                                    .sum()
                            / seconds;
        }
    }

    private MixScripts() {}

    /**
     * @param sample the sampled requests
     * @param mix the weights of the request kinds
     * @return the scripts, without background work
     */
    static Plan plan(List<MixSample.Request> sample, Mix mix) {
        return plan(new MixSample.Recorded(sample, List.of(), Duration.ZERO), mix);
    }

    /**
     * @param sample the sampled requests and the store's background work meanwhile
     * @param mix the weights of the request kinds
     * @return the scripts
     */
    static Plan plan(MixSample.Recorded sample, Mix mix) {
        Map<RequestKind, Map<List<String>, List<MixSample.Request>>> byPath = new TreeMap<>();
        Map<RequestKind, Integer> sampled = new TreeMap<>();
        int leftOut = 0;
        for (MixSample.Request request : sample.requests()) {
            if (request.roundTrips().stream().map(RoundTrip::server).distinct().count() > 1
                    || request.roundTrips().stream()
                                    .filter(trip -> trip.sql().contains(" INSERT INTO "))
                                    .count()
                            > 1) {
                leftOut++;
                continue;
            }
            sampled.merge(request.kind(), 1, Integer::sum);
            byPath.computeIfAbsent(request.kind(), kind -> new LinkedHashMap<>())
                    .computeIfAbsent(path(request.roundTrips()), key -> new ArrayList<>())
                    .add(request);
        }
        double totalWeight =
                mix.weights().values().stream().mapToInt(Integer::intValue).sum();
        List<Script> scripts = new ArrayList<>();
        double free = 0;
        for (Map.Entry<RequestKind, Map<List<String>, List<MixSample.Request>>> kind : byPath.entrySet()) {
            double kindShare = mix.weights().getOrDefault(kind.getKey(), 0) / totalWeight;
            for (List<MixSample.Request> requests : kind.getValue().values()) {
                double share = kindShare * requests.size() / sampled.get(kind.getKey());
                if (requests.get(0).roundTrips().isEmpty()) {
                    free += share;
                } else {
                    scripts.add(script(scripts.size() + 1, kind.getKey(), share, requests));
                }
            }
        }
        Map<List<String>, List<MixSample.Request>> byStatement = new LinkedHashMap<>();
        for (RoundTrip trip : sample.background()) {
            byStatement
                    .computeIfAbsent(path(List.of(trip)), key -> new ArrayList<>())
                    .add(new MixSample.Request(null, List.of(trip), 0));
        }
        List<Script> background = new ArrayList<>();
        for (List<MixSample.Request> executions : byStatement.values()) {
            background.add(script(scripts.size() + background.size() + 1, null, 0, executions));
        }
        return new Plan(List.copyOf(scripts), free, leftOut, List.copyOf(background), sample.duration());
    }

    private static List<String> path(List<RoundTrip> roundTrips) {
        return roundTrips.stream()
                .map(trip -> trip.server() + "\n" + trip.sql())
                .toList();
    }

    private static Script script(int id, RequestKind kind, double share, List<MixSample.Request> requests) {
        List<RoundTrip> template = requests.get(0).roundTrips();
        List<Role> roles = new ArrayList<>();
        for (RoundTrip trip : template) {
            roles.addAll(MixParameters.roles(trip));
        }
        List<List<String>> stored = new ArrayList<>();
        for (MixSample.Request request : requests) {
            List<String> values = new ArrayList<>();
            for (RoundTrip trip : request.roundTrips()) {
                for (Object value : trip.parameters()) {
                    values.add(MixParameters.stored(roles.get(values.size()), value, request.headBefore()));
                }
            }
            stored.add(values);
        }
        List<Binding> bindings = new ArrayList<>();
        List<Integer> fetched = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            bindings.add(binding(roles, i, stored, fetched));
        }
        List<Row> rows = new ArrayList<>();
        for (List<String> values : stored) {
            String payload = "";
            int ids = 0;
            for (int i = 0; i < roles.size(); i++) {
                if (roles.get(i) == Role.PAYLOADS) {
                    payload = values.get(i);
                } else if (roles.get(i) == Role.EVENT_IDS) {
                    ids = Integer.parseInt(values.get(i));
                }
            }
            rows.add(new Row(fetched.stream().map(values::get).toList(), payload, ids));
        }
        return new Script(
                id, template.get(0).server(), kind, share, template, List.copyOf(bindings), List.copyOf(rows));
    }

    /**
     * A constant when every request sent the same value (the longest timeout for timeouts), else a
     * fetched column (shared with an earlier parameter that always had the same value).
     */
    private static Binding binding(List<Role> roles, int index, List<List<String>> stored, List<Integer> fetched) {
        Role role = roles.get(index);
        switch (role) {
            case EXPECTED:
                return new Binding(role, MixParameters.NEVER_FAILS, 0);
            case TIMEOUT:
                return new Binding(
                        role,
                        Long.toString(stored.stream()
                                .mapToLong(values -> Long.parseLong(values.get(index)))
                                .max()
                                .orElse(1000)),
                        0);
            case RECORDED:
                if (stored.stream().map(values -> values.get(index)).distinct().count() == 1) {
                    return new Binding(role, stored.get(0).get(index), 0);
                }
                for (int column = 0; column < fetched.size(); column++) {
                    int earlier = fetched.get(column);
                    if (roles.get(earlier) == Role.RECORDED
                            && stored.stream()
                                    .allMatch(values -> values.get(earlier).equals(values.get(index)))) {
                        return new Binding(role, null, column + 1);
                    }
                }
                fetched.add(index);
                return new Binding(role, null, fetched.size());
            case POSITION:
                fetched.add(index);
                return new Binding(role, null, fetched.size());
            default:
                return new Binding(role, null, 0);
        }
    }

    /**
     * @param script a script
     * @param slot the request's slot in its fetch
     * @return its round trips as pgbench commands: the store's SQL with each {@code ?} replaced by
     *     the variable of its value; a round trip of several statements between
     *     {@code \startpipeline} and {@code \endpipeline} (one Sync: one implicit transaction, as
     *     pgjdbc sends it); before them, positions turned from "behind the newest" into sequence numbers
     */
    static String body(Script script, int slot) {
        StringBuilder text = new StringBuilder();
        for (Binding binding : script.bindings()) {
            if (binding.role() == Role.POSITION) {
                String variable = binding.variable(script.id(), 0, slot);
                text.append("\\set ")
                        .append(variable)
                        .append(" greatest(1, :seq - :")
                        .append(variable)
                        .append(")\n");
            }
        }
        int parameter = 0;
        for (RoundTrip trip : script.roundTrips()) {
            List<String> statements = MixParameters.statements(trip.sql());
            if (statements.size() > 1) {
                text.append("\\startpipeline\n");
            }
            for (String statement : statements) {
                for (char c : statement.toCharArray()) {
                    if (c == '?') {
                        text.append(':')
                                .append(script.bindings().get(parameter).variable(script.id(), parameter + 1, slot));
                        parameter++;
                    } else {
                        text.append(c);
                    }
                }
                text.append(";\n");
            }
            if (statements.size() > 1) {
                text.append("\\endpipeline\n");
            }
        }
        return text.toString();
    }

    /**
     * @param plan the scripts
     * @return a Markdown table row per script: name, server, share of the requests (or, for
     *     background work, round trips per second), sampled requests, values fetched per request of
     *     all parameters, statements per round trip
     */
    static String describe(Plan plan) {
        double seconds = plan.sampled().toNanos() / 1e9;
        return java.util.stream.Stream.concat(plan.scripts().stream(), plan.background().stream())
                .map(script -> String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %d | %d of %d | %s |",
                        script.name(),
                        script.server(),
                        script.kind() == null
                                ? String.format(
                                        Locale.ROOT, "%.1f/s", script.rows().size() / seconds)
                                : String.format(Locale.ROOT, "%.2f%%", script.share() * 100),
                        script.rows().size(),
                        script.columns(),
                        script.bindings().size(),
                        script.roundTrips().stream()
                                .map(trip -> Integer.toString(
                                        MixParameters.statements(trip.sql()).size()))
                                .collect(Collectors.joining(" + "))))
                .collect(Collectors.joining("\n"));
    }
}
