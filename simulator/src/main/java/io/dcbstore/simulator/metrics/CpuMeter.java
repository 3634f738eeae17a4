package io.dcbstore.simulator.metrics;

import io.dcbstore.simulator.report.CpuReport;
import io.dcbstore.simulator.report.CpuUse;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The CPU time of the JVM, of each embedded server and of the whole machine, read at the start and
 * the end of a run. A server's CPU is its postmaster's ticks, its reaped children's (backends that
 * exited) and those of every process still running under it ({@code /proc}, so Linux only; on other
 * systems only the JVM's is read).
 */
public final class CpuMeter {
    /**
     * A server whose processes can be read.
     *
     * @param name {@code primary} or {@code replica}
     * @param postmasterPid its postmaster's PID now (it changes when the server restarts)
     */
    public record Server(String name, LongSupplier postmasterPid) {}

    /**
     * The CPU time of one server at one moment.
     *
     * @param pid its postmaster
     * @param ticks the ticks of the postmaster, its reaped children and its live descendants
     */
    record ServerTicks(long pid, long ticks) {}

    /**
     * CPU times at one moment.
     *
     * @param nanoTime when ({@link System#nanoTime})
     * @param jvmCpuNanos the JVM's CPU time, or -1 when not available
     * @param servers each server's ticks, by name (those that could be read)
     * @param machine the machine's ticks, or {@code null}
     */
    public record Reading(
            long nanoTime, long jvmCpuNanos, Map<String, ServerTicks> servers, ProcStat.MachineTicks machine) {}

    private final List<Server> servers;
    private final String unavailable;
    private final boolean linux;
    private final long ticksPerSecond;

    /**
     * @param servers the servers to read (none for external ones)
     * @param unavailable why servers are missing (for external ones), or empty
     */
    public CpuMeter(List<Server> servers, String unavailable) {
        this(servers, unavailable, ProcStat.available(), ProcStat.available() ? ProcStat.ticksPerSecond() : 100);
    }

    /** With what {@code /proc} would say: for tests. */
    CpuMeter(List<Server> servers, String unavailable, boolean linux, long ticksPerSecond) {
        this.servers = List.copyOf(servers);
        this.unavailable = unavailable;
        this.linux = linux;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** @return the CPU times now */
    public Reading read() {
        Map<String, ServerTicks> serverTicks = new LinkedHashMap<>();
        if (linux) {
            for (Server server : servers) {
                long pid = server.postmasterPid().getAsLong();
                serverTicks(pid).ifPresent(ticks -> serverTicks.put(server.name(), new ServerTicks(pid, ticks)));
            }
        }
        return new Reading(
                System.nanoTime(),
                jvmCpuNanos(),
                serverTicks,
                ProcStat.machine().orElse(null));
    }

    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static Optional<Long> serverTicks(long postmasterPid) {
        Optional<ProcStat.ProcessTicks> postmaster = ProcStat.process(postmasterPid);
        if (postmaster.isEmpty()) {
            return Optional.empty();
        }
        long ticks = postmaster.get().total();
        List<ProcessHandle> descendants = ProcessHandle.of(postmasterPid)
                .map(handle -> handle.descendants().toList())
                .orElse(List.of());
        for (ProcessHandle descendant : descendants) {
            // One that exited since the listing is in its parent's children's ticks once reaped, or lost.
            ticks += ProcStat.process(descendant.pid())
                    .map(ProcStat.ProcessTicks::total)
                    .orElse(0L);
        }
        return Optional.of(ticks);
    }

    /** CPU seconds by process between two readings, the machine's busy seconds (or -1), and what could not be read. */
    private record Usage(Map<String, Double> seconds, double machineSeconds, List<String> notes) {}

    /**
     * @param start the reading at the start of the run
     * @param end the reading at its end
     * @param requests requests finished in between (shed ones not counted)
     * @return the CPU seconds of each process and of the machine, and per request
     */
    public CpuReport between(Reading start, Reading end, long requests) {
        double elapsed = (end.nanoTime() - start.nanoTime()) / 1e9;
        Usage usage = usage(start, end);
        Map<String, CpuUse> processes = new LinkedHashMap<>();
        usage.seconds().forEach((process, seconds) -> processes.put(process, CpuUse.of(seconds, requests, elapsed)));
        return new CpuReport(
                elapsed,
                requests,
                Runtime.getRuntime().availableProcessors(),
                processes,
                usage.machineSeconds() < 0 ? null : CpuUse.of(usage.machineSeconds(), requests, elapsed),
                String.join("; ", usage.notes()));
    }

    /**
     * @param start a reading
     * @param end a later one
     * @return the cores each process kept busy in between on average, to two decimals, and the
     *     machine's ({@code machine}) when known
     */
    public Map<String, Double> cores(Reading start, Reading end) {
        double elapsed = Math.max(1e-9, (end.nanoTime() - start.nanoTime()) / 1e9);
        Usage usage = usage(start, end);
        Map<String, Double> cores = new LinkedHashMap<>();
        usage.seconds().forEach((process, seconds) -> cores.put(process, hundredths(seconds / elapsed)));
        if (usage.machineSeconds() >= 0) {
            cores.put("machine", hundredths(usage.machineSeconds() / elapsed));
        }
        return cores;
    }

    private static double hundredths(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private Usage usage(Reading start, Reading end) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        double ours = 0;
        if (start.jvmCpuNanos() >= 0 && end.jvmCpuNanos() >= 0) {
            double jvm = (end.jvmCpuNanos() - start.jvmCpuNanos()) / 1e9;
            seconds.put("jvm", jvm);
            ours += jvm;
        } else {
            notes.add("the JVM's CPU time is not available");
        }
        for (Server server : linux ? servers : List.<Server>of()) {
            ServerTicks before = start.servers().get(server.name());
            ServerTicks after = end.servers().get(server.name());
            if (before == null || after == null) {
                notes.add(server.name() + "'s CPU could not be read (not running)");
                continue;
            }
            long ticks = after.ticks() - before.ticks();
            if (after.pid() != before.pid()) {
                ticks = after.ticks();
                notes.add(server.name() + " restarted during the run: its CPU is counted from the restart");
            }
            double serverSeconds = ticks / (double) ticksPerSecond;
            seconds.put(server.name(), serverSeconds);
            ours += serverSeconds;
        }
        double machine = -1;
        if (start.machine() != null && end.machine() != null) {
            machine = (end.machine().busy() - start.machine().busy()) / (double) ticksPerSecond;
            seconds.put("other", Math.max(0, machine - ours));
            if (machine < ours * 0.95) {
                // Seen in a virtual machine: /proc/stat's busy ticks fell short of the processes' own.
                notes.add(String.format(
                        Locale.ROOT,
                        "the machine's busy time (%.1f s, /proc/stat) is below the processes' own (%.1f s):"
                                + " a virtual machine's accounting; 'other' and 'machine' are not reliable in this run",
                        machine,
                        ours));
            }
        }
        if (!linux) {
            notes.add("server and machine CPU not available: no /proc on " + System.getProperty("os.name"));
        } else if (!unavailable.isEmpty()) {
            notes.add(unavailable);
        }
        return new Usage(seconds, machine, notes);
    }
}
