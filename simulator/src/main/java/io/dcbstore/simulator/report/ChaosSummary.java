package io.dcbstore.simulator.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The outages of a chaos run and the check of its log, for the console and the HTML page. */
final class ChaosSummary {
    private ChaosSummary() {}

    /**
     * @param chaos the chaos part of a report
     * @param out where to print
     */
    static void print(ChaosReport chaos, PrintStream out) {
        out.println();
        out.println("Chaos: " + chaos.schedule());
        out.printf(
                Locale.ROOT,
                "%-8s %-13s %8s %10s %7s %12s %12s %11s %8s %7s %9s %5s%n",
                "server",
                "fault",
                "down at",
                "restart at",
                "up at",
                "recovered at",
                "recovery ms",
                "outage ms",
                "failed",
                "errors",
                "timeouts",
                "shed");
        for (OutageReport outage : chaos.outages()) {
            out.printf(
                    Locale.ROOT,
                    "%-8s %-13s %7.1fs %9.1fs %6.1fs %11.1fs %12.0f %11.0f %,8d %,7d %,9d %,5d%n",
                    outage.server(),
                    outage.fault(),
                    outage.downAtS(),
                    outage.restartAtS(),
                    outage.upAtS(),
                    outage.recoveredAtS(),
                    outage.recoveryMs(),
                    outage.outageMs(),
                    outage.requestsFailed(),
                    outage.errors(),
                    outage.timeouts(),
                    outage.shed());
        }
        AppendAuditReport audit = chaos.appendAudit();
        if (audit != null) {
            out.println(auditLine(audit));
            audit.examples().forEach(example -> out.println("  " + example));
        }
    }

    /**
     * @param audit the check of the log
     * @return one line saying what it found
     */
    static String auditLine(AppendAuditReport audit) {
        return String.format(
                Locale.ROOT,
                "acknowledged appends: %,d (%,d events); %,d events of the run read back from the log;"
                        + " acknowledged appends lost: %,d; events doubled: %,d%s",
                audit.acknowledgedAppends(),
                audit.acknowledgedEvents(),
                audit.eventsRead(),
                audit.acknowledgedLost(),
                audit.eventsDoubled(),
                audit.holds() ? "" : " (VIOLATION)");
    }

    /**
     * @param chaos the chaos part of a report, or null
     * @param runSeconds the run's length, for outages that did not recover
     * @return each outage's window, {from, to} in seconds of the run: the fault to the first success
     */
    static List<double[]> windows(ChaosReport chaos, double runSeconds) {
        List<double[]> windows = new ArrayList<>();
        if (chaos != null) {
            for (OutageReport outage : chaos.outages()) {
                windows.add(
                        new double[] {outage.downAtS(), outage.recoveredAtS() < 0 ? runSeconds : outage.recoveredAtS()
                        });
            }
        }
        return windows;
    }
}
