package io.dcbstore.library.internal;

import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendResult;
import io.dcbstore.Event;
import io.dcbstore.EventStore;
import io.dcbstore.Filter;
import io.dcbstore.QueryResult;
import io.dcbstore.ReadOptions;
import io.dcbstore.library.CommandInterruptedException;
import io.dcbstore.library.CommandMetadata;
import io.dcbstore.library.CommandOutcome;
import io.dcbstore.library.CommandSettings;
import io.dcbstore.library.ConcurrencyRetriesExhaustedException;
import io.dcbstore.library.Decision;
import io.dcbstore.library.EventMetadata;
import io.dcbstore.library.LibraryCommand;
import io.dcbstore.library.LibraryEvent;
import io.dcbstore.library.LibraryEventCodec;
import io.dcbstore.library.RecordedLibraryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The DCB command loop: query the boundary, decide, append with the boundary as condition, and
 * retry with backoff when another append changed the boundary in between. Thread-safe.
 */
public final class CommandExecutor {
    private final EventStore store;
    private final CommandSettings settings;
    private final HandlerTelemetry telemetry;

    /**
     * @param store the event store
     * @param settings retry policy, clock and message ids
     * @param telemetry where commands are recorded
     */
    public CommandExecutor(EventStore store, CommandSettings settings, HandlerTelemetry telemetry) {
        this.store = store;
        this.settings = settings;
        this.telemetry = telemetry;
    }

    /**
     * @param command the command
     * @param metadata the command message's ids
     * @return the outcome of the first attempt that did not conflict
     */
    public CommandOutcome execute(LibraryCommand command, CommandMetadata metadata) {
        String name = HandlerTelemetry.nameOf(command.getClass());
        return HandlerCall.record(
                () -> telemetry.command(name),
                call -> withRetries(command, metadata, name, call),
                outcome -> outcome.status().name().toLowerCase(Locale.ROOT));
    }

    private CommandOutcome withRetries(
            LibraryCommand command, CommandMetadata metadata, String name, HandlerCall call) {
        int maxAttempts = settings.retryPolicy().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(command, metadata, attempt - 1, call);
            } catch (AppendConditionFailedException conflict) {
                if (attempt >= maxAttempts) {
                    HandlerCall.quietly(() -> telemetry.retriesExhausted(name));
                    throw new ConcurrencyRetriesExhaustedException(command, attempt, conflict);
                }
                Duration backoff = settings.retryPolicy()
                        .backoff(attempt, ThreadLocalRandom.current().nextDouble());
                int conflicted = attempt;
                HandlerCall.quietly(() -> {
                    call.retrying(conflicted);
                    telemetry.retry(name, backoff);
                });
                pause(command, backoff);
            }
        }
    }

    private CommandOutcome attempt(LibraryCommand command, CommandMetadata metadata, int retries, HandlerCall call) {
        Filter boundary = command.boundary();
        QueryResult result = store.query(boundary, ReadOptions.STRONG);
        Decision decision = call.decide(() -> command.decide(history(result)));
        List<LibraryEvent> events = decision.eventsToAppend();
        AppendResult appended = events.isEmpty()
                ? null
                : store.append(boundary, result.maxSequenceNumber(), toStoreEvents(events, metadata));
        return decision.toOutcome(retries, appended);
    }

    private static List<LibraryEvent> history(QueryResult result) {
        return result.events().stream()
                .map(LibraryEventCodec::decode)
                .map(RecordedLibraryEvent::event)
                .toList();
    }

    private Event[] toStoreEvents(List<LibraryEvent> events, CommandMetadata command) {
        Instant now = settings.clock().instant();
        return events.stream()
                .map(event -> LibraryEventCodec.encode(event, eventMetadata(command), now))
                .toArray(Event[]::new);
    }

    private EventMetadata eventMetadata(CommandMetadata command) {
        return new EventMetadata(settings.messageIds().get(), command.messageId(), command.correlationId());
    }

    private static void pause(LibraryCommand command, Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis(), backoff.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandInterruptedException(command, e);
        }
    }
}
