package io.dcbstore.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The one line a failed run prints instead of a stack trace: what failed and the chain of causes,
 * each by its type and the first line of its message, so that the reason is readable without
 * {@code --verbose}.
 */
final class FailureLine {
    private static final int MAX_CAUSES = 4;

    private FailureLine() {}

    /**
     * @param command the command that failed ({@code simulate}, {@code bench-mix}, ...)
     * @param failure what it threw
     * @param verbose whether the stack trace follows (else the line says how to get it)
     * @return e.g. {@code simulate failed: IllegalStateException: the primary did not start (caused by:
     *     IOException: No space left on device)}
     */
    static String of(String command, Throwable failure, boolean verbose) {
        List<String> reasons = new ArrayList<>();
        Throwable current = failure;
        for (int depth = 0; current != null && reasons.size() < MAX_CAUSES && depth < 16; depth++) {
            Throwable cause = current.getCause() == current ? null : current.getCause();
            // A wrapper made from its cause alone has the cause's toString() as its message, and a
            // cause's message is often quoted by the exception around it: say each thing once.
            boolean wrapperOnly =
                    cause != null && String.valueOf(current.getMessage()).equals(cause.toString());
            if (!wrapperOnly && !saidAlready(reasons, current)) {
                reasons.add(describe(current));
            }
            current = cause;
        }
        StringBuilder line = new StringBuilder(command).append(" failed: ").append(reasons.get(0));
        for (String reason : reasons.subList(1, reasons.size())) {
            line.append(" (caused by: ").append(reason).append(')');
        }
        if (!verbose) {
            line.append(" [--verbose for the stack trace]");
        }
        return line.toString();
    }

    private static boolean saidAlready(List<String> reasons, Throwable failure) {
        String message = failure.getMessage() == null ? "" : firstLine(failure.getMessage());
        return !message.isEmpty() && reasons.stream().anyMatch(reason -> reason.contains(message));
    }

    private static String firstLine(String message) {
        String stripped = message.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline).strip();
    }

    private static String describe(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        String message =
                failure.getMessage() == null ? "" : failure.getMessage().strip();
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline).strip() + " ...";
        return firstLine.isEmpty() ? name : name + ": " + firstLine;
    }
}
