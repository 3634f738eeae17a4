package io.dcbstore.simulator.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU each process used over a measured run, and per finished request: the number the latency
 * targets come down to on a machine where the JVM and the servers share the cores.
 *
 * @param elapsedS how long the CPU was measured (the measured run, with its drain)
 * @param requests requests finished over that time, shed ones not counted
 * @param cores the machine's cores
 * @param processes by process: {@code jvm}, {@code primary} and {@code replica} (each embedded
 *     server with all its processes), and {@code other}, the rest of the machine's busy time
 * @param machine all the machine's busy time ({@code /proc/stat}), or {@code null} when not available
 * @param note what could not be measured, and why; empty when everything was
 */
public record CpuReport(
        @Rounded double elapsedS,
        long requests,
        int cores,
        Map<String, CpuUse> processes,
        @JsonInclude(JsonInclude.Include.NON_NULL) CpuUse machine,
        String note) {
    /** Keeps the processes' order. */
    public CpuReport {
        processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
    }

    /**
     * @param process {@code jvm}, {@code primary} or {@code replica}
     * @return its CPU microseconds per request, or {@code null} when it was not measured
     */
    public Double usPerRequest(String process) {
        CpuUse use = processes.get(process);
        return use == null ? null : use.usPerRequest();
    }
}
