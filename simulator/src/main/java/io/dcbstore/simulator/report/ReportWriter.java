package io.dcbstore.simulator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link RunReport} as {@code report.json} and a self-contained {@code report.html}. */
public final class ReportWriter {
    private ReportWriter() {}

    /**
     * Writes both files into the directory (created if needed).
     *
     * @param report the report
     * @param directory the report directory
     * @throws IOException when a file cannot be written
     */
    public static void write(RunReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("report.json"), ReportJson.write(report), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("report.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
    }
}
