package io.dcbstore.simulator.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The scripts and styles that {@code report.html} carries inline, so that it opens offline: uPlot's
 * minified script and style (MIT licence, Leon Sorokin; read from its webjar on the class path, the
 * version the build wrote into {@code simulator-version.properties}) and the report's own chart code.
 *
 * @param uplotVersion the uPlot version
 * @param uplotLicence uPlot's licence text
 * @param uplotScript uPlot's minified script
 * @param uplotStyle uPlot's minified style sheet
 * @param chartsScript the report's chart code ({@code report-charts.js})
 */
record ChartLibrary(
        String uplotVersion, String uplotLicence, String uplotScript, String uplotStyle, String chartsScript) {
    private static final String VERSIONS = "/io/dcbstore/simulator/simulator-version.properties";

    /** Read once: the report is written once per run, the files never change. */
    private static final class Loaded {
        static final ChartLibrary INSTANCE = read();
    }

    /**
     * @return the library, read from the class path on first use
     * @throws IllegalStateException when a file is missing (a build without the uPlot webjar)
     */
    static ChartLibrary get() {
        return Loaded.INSTANCE;
    }

    private static ChartLibrary read() {
        Properties versions = new Properties();
        try (InputStream in = ChartLibrary.class.getResourceAsStream(VERSIONS)) {
            if (in == null) {
                throw new IllegalStateException(VERSIONS + " is not on the class path: build the simulator with Maven");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + VERSIONS, e);
        }
        String version = versions.getProperty("uplot.version");
        String webjar = "/META-INF/resources/webjars/uplot/" + version + "/";
        return new ChartLibrary(
                version,
                resource(webjar + "LICENSE"),
                resource(webjar + "dist/uPlot.iife.min.js"),
                resource(webjar + "dist/uPlot.min.css"),
                resource("report-charts.js"));
    }

    /**
     * @param name a resource beside this class, or an absolute one
     * @return its text
     */
    static String resource(String name) {
        try (InputStream in = ChartLibrary.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path (the report's charts need it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + name, e);
        }
    }
}
