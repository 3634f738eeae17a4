package io.dcbstore.simulator.growth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The growth report's "JVM heap after full collections" with each collector a user can choose
 * ({@code SIMULATOR_JAVA_OPTS=-XX:+UseZGC ./simulate bench-growth}): the explicit full collection
 * before each find-max must be seen, whatever the collector calls it. ZGC and Shenandoah report
 * "end of GC cycle", never "end of major GC", so the figure stays 0 and the report says 0 MB.
 */
class HeapAfterGcCollectorsTest {
    private static final Pattern LINE = Pattern.compile("majors=(\\d+) peakAfterMajor=(\\d+) peakAfterAny=(\\d+)");

    private static String probe(String collector) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(
                        java, collector, "-Xmx512m", "-cp", classPath, HeapAfterGcProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(collector).isTrue();
        assertThat(process.exitValue()).as(collector + ": " + output).isZero();
        return output;
    }

    @Test
    void theHeapLeftAfterAnExplicitFullCollectionIsReportedWithEveryCollector() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (String collector : List.of(
                "-XX:+UseParallelGC", "-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseZGC", "-XX:+UseShenandoahGC")) {
            String output = probe(collector);
            Matcher matcher = LINE.matcher(output);
            assertThat(matcher.find()).as(collector + ": " + output).isTrue();

            softly.assertThat(Long.parseLong(matcher.group(2)))
                    .as("%s: peak heap after full collections (%s)", collector, output.trim())
                    .isGreaterThanOrEqualTo(64L * 1024 * 1024);
        }
        softly.assertAll();
    }
}
