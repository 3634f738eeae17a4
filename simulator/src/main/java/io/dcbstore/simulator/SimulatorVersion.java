package io.dcbstore.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the simulator's version and the charting library its report ships, from
 * {@code simulator-version.properties}, which the build fills in from the POM.
 */
final class SimulatorVersion implements IVersionProvider {
    /** The resource the build writes the versions into. */
    static final String RESOURCE = "/io/dcbstore/simulator/simulator-version.properties";

    @Override
    public String[] getVersion() {
        Properties versions = read();
        return new String[] {
            "dcb-simulator " + versions.getProperty("version", "unknown"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
            "report charts: uPlot " + versions.getProperty("uplot.version", "unknown") + " (MIT licence)"
        };
    }

    /** @return the versions the build wrote; empty when the resource is missing */
    static Properties read() {
        Properties versions = new Properties();
        try (InputStream in = SimulatorVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
        return versions;
    }
}
