package io.dcbstore.simulator.bench;

import java.util.Locale;

/** The benchmarks' Markdown report: one line at a time on standard output, flushed as it is written. */
final class BenchmarkOutput {
    private BenchmarkOutput() {}

    /**
     * @param format a format string, formatted in the root locale
     * @param arguments its arguments
     */
    static void line(String format, Object... arguments) {
        System.out.println(String.format(Locale.ROOT, format, arguments));
        System.out.flush();
    }
}
