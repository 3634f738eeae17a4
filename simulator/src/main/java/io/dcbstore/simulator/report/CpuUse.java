package io.dcbstore.simulator.report;

/**
 * The CPU one process (or the machine) used over a run.
 *
 * @param cpuS CPU seconds, user and system
 * @param usPerRequest CPU microseconds per finished request
 * @param cores the cores it kept busy on average (CPU seconds per second of the run)
 */
public record CpuUse(
        @Rounded double cpuS,
        @Rounded double usPerRequest,
        @Rounded double cores) {
    /**
     * @param cpuSeconds CPU seconds used
     * @param requests requests finished over the same time
     * @param elapsedSeconds how long the time was
     * @return the use, per request and per second
     */
    public static CpuUse of(double cpuSeconds, long requests, double elapsedSeconds) {
        return new CpuUse(
                cpuSeconds, cpuSeconds * 1e6 / Math.max(1, requests), cpuSeconds / Math.max(1e-9, elapsedSeconds));
    }
}
