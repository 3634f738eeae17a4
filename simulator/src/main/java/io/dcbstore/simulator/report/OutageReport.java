package io.dcbstore.simulator.report;

/**
 * One outage of a chaos run: when the server went down, when it was started again, when it
 * accepted connections, and when the first request through it succeeded; and what the outage
 * cost. Times are seconds from the start of the measured run; a time not reached is -1.
 *
 * @param server {@code primary} or {@code replica}
 * @param fault how it went down: {@code kill-primary} (SIGKILL) or {@code stop-replica} (fast shutdown)
 * @param downAtS when the fault was caused
 * @param restartAtS when the server was started again
 * @param upAtS when it accepted connections again
 * @param recoveredAtS when the first request through it succeeded after the restart: for the
 *     primary an acknowledged append, for the replica a read it served
 * @param recoveryMs from the restart to that first success
 * @param outageMs from the fault to that first success
 * @param requestsFailed requests that ended in an error, a timeout or shed between the fault and
 *     one request timeout after the first success (the last requests started in the outage)
 * @param errors of those, errors
 * @param timeouts of those, timeouts
 * @param shed of those, shed (could not start within their timeout)
 */
public record OutageReport(
        String server,
        String fault,
        @Rounded double downAtS,
        @Rounded double restartAtS,
        @Rounded double upAtS,
        @Rounded double recoveredAtS,
        @Rounded double recoveryMs,
        @Rounded double outageMs,
        long requestsFailed,
        long errors,
        long timeouts,
        long shed) {}
