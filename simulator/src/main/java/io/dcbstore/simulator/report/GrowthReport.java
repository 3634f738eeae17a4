package io.dcbstore.simulator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The growth benchmark's report: one table with a column per size of the log and the ratio of the
 * largest to the smallest, printed as Markdown and written as {@code growth.md}, {@code growth.json}
 * and a self-contained {@code growth.html} with the curves.
 *
 * @param startedAt when the benchmark started (ISO-8601)
 * @param machine cores, memory and the JVM's heap limit
 * @param settings the run's settings, as one line
 * @param rows the sizes measured, smallest first
 */
public record GrowthReport(String startedAt, String machine, String settings, List<GrowthRow> rows) {
    /** Copies the rows. */
    public GrowthReport {
        rows = List.copyOf(rows);
    }

    /** A line of the table: its cells, and the figures whose largest-over-smallest ratios it shows. */
    private record Line(String name, Function<GrowthRow, String> cell, List<ToDoubleFunction<GrowthRow>> values) {}

    private static final List<Line> LINES = List.of(
            line("events seeded", row -> count(row.events()), GrowthRow::events),
            line("book copies / readers", row -> count(row.books()) + " / " + count(row.readers())),
            line(
                    "seeding, freeze, analyse and checkpoint included (s)",
                    row -> one(row.seedSeconds()),
                    GrowthRow::seedSeconds),
            line(
                    "table + indexes per event (bytes)",
                    row -> count(Math.round(row.bytesPerEvent())),
                    GrowthRow::bytesPerEvent),
            line(
                    "table / indexes (MB)",
                    row -> count(mb(row.tableBytes())) + " / " + count(mb(row.indexBytes())),
                    GrowthRow::tableBytes,
                    GrowthRow::indexBytes),
            line("both servers on disk (GB)", row -> gb(row.diskBytes()), GrowthRow::diskBytes),
            line(
                    "conditional appends/s (--writers)",
                    row -> count(Math.round(row.appendPerSecond())),
                    GrowthRow::appendPerSecond),
            line(
                    "conditional append p50 / p99 (ms)",
                    row -> two(row.appendP50Ms()) + " / " + two(row.appendP99Ms()),
                    GrowthRow::appendP50Ms,
                    GrowthRow::appendP99Ms),
            line(
                    "WAL per append (bytes) / full-page images per append; checkpoints during the appends",
                    row -> count(Math.round(row.walBytesPerAppend())) + " / " + two(row.fullPageImagesPerAppend())
                            + "; " + row.checkpointsDuringAppends(),
                    GrowthRow::walBytesPerAppend,
                    GrowthRow::fullPageImagesPerAppend),
            line(
                    "boundary queries/s (--query-threads)",
                    row -> count(Math.round(row.queryPerSecond())),
                    GrowthRow::queryPerSecond),
            line(
                    "boundary query p50 / p99 (ms)",
                    row -> two(row.queryP50Ms()) + " / " + two(row.queryP99Ms()),
                    GrowthRow::queryP50Ms,
                    GrowthRow::queryP99Ms),
            line(
                    "find-max, every query reads (req/s)",
                    row -> count(Math.round(row.findMaxReading())) + runs(row.findMaxReadingRuns()),
                    GrowthRow::findMaxReading),
            line(
                    "find-max, queries from projections within the staleness bound (req/s)",
                    row -> count(Math.round(row.findMaxEventual())) + runs(row.findMaxEventualRuns()),
                    GrowthRow::findMaxEventual),
            line(
                    "shared_buffers hit ratio, primary / replica",
                    row -> percent(row.hitRatioPrimary()) + " / " + percent(row.hitRatioReplica()),
                    GrowthRow::hitRatioPrimary,
                    GrowthRow::hitRatioReplica),
            line(
                    "JVM heap after full collections, peak (MB)",
                    row -> count(mb(row.heapAfterFullGcBytes())),
                    GrowthRow::heapAfterFullGcBytes),
            line(
                    "age(relfrozenxid): after seeding / at the end",
                    row -> count(row.frozenXidAgeAfterSeed()) + " / " + count(row.frozenXidAgeAtEnd())),
            line(
                    "pages all-frozen at the end",
                    row -> row.allFrozenShareAtEnd() < 0 ? "-" : percent(row.allFrozenShareAtEnd())),
            line(
                    "autovacuum / autoanalyze runs on the events table",
                    row -> row.autovacuums() + " / " + row.autoanalyzes()),
            line("events at the end", row -> count(row.eventsAtEnd()), GrowthRow::eventsAtEnd));

    /** A line without a ratio: its cell holds no single figure. */
    private static Line line(String name, Function<GrowthRow, String> cell) {
        return new Line(name, cell, List.of());
    }

    private static Line line(String name, Function<GrowthRow, String> cell, ToDoubleFunction<GrowthRow> value) {
        return new Line(name, cell, List.of(value));
    }

    private static Line line(
            String name,
            Function<GrowthRow, String> cell,
            ToDoubleFunction<GrowthRow> first,
            ToDoubleFunction<GrowthRow> second) {
        return new Line(name, cell, List.of(first, second));
    }

    /**
     * @return the table's cells: the header first, then a line per figure, a column per size, and
     *     the largest size's figure over the smallest's when there are two sizes or more
     */
    public List<List<String>> cells() {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("what"));
        header.addAll(labels());
        boolean ratio = rows.size() > 1;
        if (ratio) {
            header.add(rows.get(rows.size() - 1).label() + " / " + rows.get(0).label());
        }
        cells.add(header);
        for (Line line : LINES) {
            List<String> cellsOfLine = new ArrayList<>(List.of(line.name()));
            rows.forEach(row -> cellsOfLine.add(line.cell().apply(row)));
            if (ratio) {
                cellsOfLine.add(ratios(line));
            }
            cells.add(cellsOfLine);
        }
        return cells;
    }

    /** @return each figure's largest-size value over its smallest-size value, "a / b" for two, "" when none can be given */
    private String ratios(Line line) {
        List<String> ratios = new ArrayList<>();
        for (ToDoubleFunction<GrowthRow> value : line.values()) {
            double first = value.applyAsDouble(rows.get(0));
            double last = value.applyAsDouble(rows.get(rows.size() - 1));
            if (!Double.isFinite(first) || !Double.isFinite(last) || first == 0) {
                return "";
            }
            ratios.add(two(last / first));
        }
        return String.join(" / ", ratios);
    }

    /** @return the table in Markdown */
    public String markdown() {
        List<List<String>> cells = cells();
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            table.append("| ").append(String.join(" | ", cells.get(i))).append(" |\n");
            if (i == 0) {
                table.append("|").append("---|".repeat(cells.get(0).size())).append('\n');
            }
        }
        return table.toString();
    }

    /**
     * Writes {@code growth.md}, {@code growth.json} and {@code growth.html} into the directory.
     *
     * @param directory where (created if needed)
     * @throws IOException when a file cannot be written
     */
    public void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("growth.md"), heading() + markdown(), StandardCharsets.UTF_8);
        String json = ReportJson.writeValue(this);
        Files.writeString(directory.resolve("growth.json"), json, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("growth.html"), GrowthHtml.render(this, json), StandardCharsets.UTF_8);
    }

    /** @return the report's first lines: when, where and how */
    String heading() {
        return "# Growth benchmark, " + startedAt + "\n\n" + machine + "\n\n" + settings + "\n\n";
    }

    /** @return the sizes' labels, for the charts */
    List<String> labels() {
        List<String> labels = new ArrayList<>();
        rows.forEach(row -> labels.add(row.label()));
        return labels;
    }

    /** @return " (runs: 1,772, 1,969, 2,166)" after a median of several runs, "" after one run */
    static String runs(List<Double> runs) {
        if (runs.size() < 2) {
            return "";
        }
        return runs.stream().map(run -> count(Math.round(run))).collect(Collectors.joining(", ", " (runs: ", ")"));
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static long mb(long bytes) {
        return Math.round(bytes / 1e6);
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e9);
    }

    private static String one(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String two(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }
}
