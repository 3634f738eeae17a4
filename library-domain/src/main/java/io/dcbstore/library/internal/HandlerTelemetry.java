package io.dcbstore.library.internal;

import io.dcbstore.library.SnapshotStatistics;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The library's seam to metrics and tracing: {@link #NONE} records nothing and loads no Micrometer
 * class; {@link MicrometerHandlerTelemetry} records through the registries the user gave to
 * {@code LibraryCommands.create} or {@code LibraryQueries.create}.
 */
public interface HandlerTelemetry {
    /** Records nothing. */
    HandlerTelemetry NONE = new HandlerTelemetry() {};

    /**
     * @param command the command's name, snake_case (lend_book_copy_to_reader)
     * @return the call to report to and close
     */
    default HandlerCall command(String command) {
        return HandlerCall.NONE;
    }

    /**
     * @param query the query's name, snake_case (books_in_circulation)
     * @return the call to report to and close
     */
    default HandlerCall query(String query) {
        return HandlerCall.NONE;
    }

    /**
     * @param command the command
     * @param delay how long it waits before its next attempt
     */
    default void retry(String command, Duration delay) {}

    /** @param command the command whose every attempt conflicted */
    default void retriesExhausted(String command) {}

    /**
     * @param query the query
     * @param count events applied to its state to answer it
     */
    default void eventsApplied(String query, int count) {}

    /** @param statistics what the memory cache and the snapshots did, read when scraped */
    default void watch(Supplier<SnapshotStatistics> statistics) {}

    /**
     * @param type a command or projection class
     * @return its name as a tag: the simple name in snake_case, without a "Projection" suffix
     */
    static String nameOf(Class<?> type) {
        return Names.NAMES.get(type);
    }

    /** Snake-case names, computed once per class. */
    final class Names {
        private static final ClassValue<String> NAMES = new ClassValue<>() {
            @Override
            protected String computeValue(Class<?> type) {
                String simple = type.getSimpleName().replaceFirst("Projection$", "");
                return simple.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            }
        };

        private Names() {}
    }
}
