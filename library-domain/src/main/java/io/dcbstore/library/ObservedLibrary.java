package io.dcbstore.library;

import io.dcbstore.EventStore;
import io.dcbstore.library.internal.HandlerTelemetry;
import io.dcbstore.library.internal.MicrometerHandlerTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * Library handlers that record in Micrometer. A class of its own so that {@link LibraryCommands}
 * and {@link LibraryQueries} have no Micrometer type in any signature: Micrometer is an optional
 * dependency, and frameworks that reflect over those classes must not need it.
 */
public final class ObservedLibrary {
    private ObservedLibrary() {}

    /**
     * A command handler that records every command: {@code library.commands} (timer by command and
     * outcome), {@code library.command.retries}, {@code library.command.retries.exhausted},
     * {@code library.command.retry.delay}; and one observation per command ({@code library.command},
     * with a child {@code library.decide}; the store's query and append nest inside it).
     *
     * @param store the event store; the caller keeps and closes it
     * @param settings retry policy, clock and message ids
     * @param meters where meters go, or null for none
     * @param observations where observations go, or null for none
     * @return a command handler
     */
    public static LibraryCommands commands(
            EventStore store, CommandSettings settings, MeterRegistry meters, ObservationRegistry observations) {
        return LibraryCommands.create(store, settings, telemetry(meters, observations));
    }

    /**
     * A query handler that records every query: {@code library.queries} (timer by query and
     * outcome), {@code library.projection.events.applied}, {@code library.projection.cache} and
     * {@code library.projection.snapshots} (by result); and one observation per query
     * ({@code library.query}).
     *
     * @param store the event store; the caller keeps and closes it
     * @param settings whether to cache states in memory, and whether and when to use store snapshots
     * @param meters where meters go, or null for none
     * @param observations where observations go, or null for none
     * @return a query handler
     */
    public static LibraryQueries queries(
            EventStore store, QuerySettings settings, MeterRegistry meters, ObservationRegistry observations) {
        return LibraryQueries.create(store, settings, telemetry(meters, observations));
    }

    private static HandlerTelemetry telemetry(MeterRegistry meters, ObservationRegistry observations) {
        return meters == null && observations == null
                ? HandlerTelemetry.NONE
                : MicrometerHandlerTelemetry.of(meters, observations);
    }
}
