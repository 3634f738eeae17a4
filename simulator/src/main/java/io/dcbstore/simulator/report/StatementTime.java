package io.dcbstore.simulator.report;

/**
 * The database's execution of one group of the store's statements on one server.
 *
 * @param calls statements executed
 * @param execMs their execution time in all, in milliseconds to one decimal
 */
public record StatementTime(long calls, double execMs) {
    /**
     * @param calls statements executed
     * @param execMillis their execution time as measured
     * @return the figures, the time rounded to a tenth of a millisecond
     */
    public static StatementTime of(long calls, double execMillis) {
        return new StatementTime(calls, Math.round(execMillis * 10) / 10.0);
    }
}
