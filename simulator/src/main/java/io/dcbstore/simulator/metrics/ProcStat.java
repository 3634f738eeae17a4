package io.dcbstore.simulator.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads Linux's CPU accounting: {@code /proc/<pid>/stat} of a process and {@code /proc/stat} of the
 * machine, in clock ticks ({@code getconf CLK_TCK}, 100 when it cannot be asked).
 */
public final class ProcStat {
    private static final Path PROC = Path.of("/proc");

    private ProcStat() {}

    /**
     * One process's CPU ticks: its own, and those of its children it has waited for (a backend that
     * exited and was reaped by the postmaster is counted in the postmaster's children's ticks).
     *
     * @param pid the process
     * @param parentPid its parent
     * @param user its user ticks
     * @param system its system ticks
     * @param childrenUser its reaped children's user ticks
     * @param childrenSystem its reaped children's system ticks
     */
    public record ProcessTicks(
            long pid, long parentPid, long user, long system, long childrenUser, long childrenSystem) {
        /** @return all four added up */
        public long total() {
            return user + system + childrenUser + childrenSystem;
        }
    }

    /**
     * The machine's CPU ticks since it booted, over all cores.
     *
     * @param busy ticks not idle and not waiting for I/O
     * @param total all ticks (user, nice, system, idle, iowait, irq, softirq, steal)
     */
    public record MachineTicks(long busy, long total) {}

    /**
     * Parses a line of {@code /proc/<pid>/stat}. The command name, in parentheses, may hold spaces
     * and parentheses itself ({@code (postgres: walwriter )}): the fields are counted after the
     * last closing parenthesis.
     *
     * @param line the file's content
     * @return its CPU ticks
     * @throws IllegalArgumentException when the line is not such a line
     */
    public static ProcessTicks parseProcess(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] fields = line.substring(close + 1).trim().split("\\s+");
        if (fields.length < 15) {
            throw new IllegalArgumentException("too few fields in a /proc/<pid>/stat line: " + line);
        }
        // fields[0] is field 3 of proc(5) (the state): utime is field 14, so fields[11].
        return new ProcessTicks(
                Long.parseLong(line.substring(0, open).trim()),
                Long.parseLong(fields[1]),
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14]));
    }

    /**
     * Parses the {@code cpu} line (all cores) of {@code /proc/stat}.
     *
     * @param content the file's content
     * @return the machine's busy and total ticks
     * @throws IllegalArgumentException when it has no such line
     */
    public static MachineTicks parseMachine(String content) {
        for (String line : content.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields[0].equals("cpu") && fields.length >= 9) {
                long total = 0;
                for (int i = 1; i <= 8; i++) { // user nice system idle iowait irq softirq steal; guest is within user
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
                return new MachineTicks(total - idle, total);
            }
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }

    /** @return whether this machine has Linux's {@code /proc} accounting */
    public static boolean available() {
        return Files.isReadable(PROC.resolve("stat"));
    }

    /**
     * @param pid a process
     * @return its ticks, or empty when it has ended (or there is no {@code /proc})
     */
    public static Optional<ProcessTicks> process(long pid) {
        try {
            return Optional.of(parseProcess(
                    Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return the machine's ticks, or empty when there is no {@code /proc/stat} */
    public static Optional<MachineTicks> machine() {
        try {
            return Optional.of(parseMachine(Files.readString(PROC.resolve("stat"), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return clock ticks per second: {@code getconf CLK_TCK}, or 100 when that fails */
    public static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(output);
            }
        } catch (IOException | NumberFormatException e) {
            // No getconf: the usual value.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
