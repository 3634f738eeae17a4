package io.dcbstore.simulator;

import io.dcbstore.EventStore;
import io.dcbstore.library.InvariantReport;
import io.dcbstore.library.LibraryInvariants;
import java.io.PrintStream;
import java.util.Locale;

/** Verifies the lending rules from the event log after a run ({@code --check-invariants}). */
final class InvariantCheck {
    private InvariantCheck() {}

    /**
     * @param store the store, read directly (not through the run's timing)
     * @param out where to print the outcome and every violation
     * @return the exit code: 0 when the rules hold, 1 otherwise
     */
    static int run(EventStore store, PrintStream out) {
        out.println("checking the invariants from the event log...");
        InvariantReport result = LibraryInvariants.check(store);
        out.printf(
                Locale.ROOT,
                "invariants: %,d events read, %,d loans checked over %,d books and %,d readers: %s%n",
                result.eventsRead(),
                result.loansChecked(),
                result.books(),
                result.readers(),
                result.holds() ? "no violation" : result.violationCount() + " VIOLATIONS");
        result.violations().forEach(violation -> out.println("  " + violation));
        return result.holds() ? 0 : 1;
    }
}
