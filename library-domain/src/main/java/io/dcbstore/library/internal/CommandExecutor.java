package io.dcbstore.library.internal;

import io.dcbstore.AppendConditionFailedException;
import io.dcbstore.AppendResult;
import io.dcbstore.DatabaseException;
import io.dcbstore.Event;
import io.dcbstore.EventIdConflictException;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The DCB command loop: query the boundary, decide, append with the boundary as condition, and
 * retry with backoff when another append changed the boundary in between. Thread-safe.
 *
 * <p>Every appended event gets an id derived from the command message's id and its position, so
 * an append whose outcome is unknown (the connection failed; the server may have committed) is
 * re-sent as it was, for up to {@link CommandSettings#resendFor()}: the store then returns the
 * stored append's result instead of writing it twice. A timeout is not re-sent: it is the
 * caller's answer (handling the same message id again later is safe). Message ids must therefore be unique in a store: the same message handled again later (a
 * re-delivery) succeeds without writing when it decides the same events, and fails with
 * {@link io.dcbstore.EventIdConflictException} when it decides others.
 */
public final class CommandExecutor {
    private final EventStore store;
    private final CommandSettings settings;
    private final HandlerTelemetry telemetry;
    private final @Nullable StoryReads stories;
    private volatile DecisionStates states;

    /**
     * @param store the event store
     * @param settings retry policy, clock and message ids
     * @param telemetry where commands are recorded
     */
    public CommandExecutor(EventStore store, CommandSettings settings, HandlerTelemetry telemetry) {
        this.store = store;
        this.settings = settings;
        this.telemetry = telemetry;
        this.stories =
                settings.storySnapshotsAfter() == 0 ? null : new StoryReads(store, settings.storySnapshotsAfter());
    }

    /**
     * Decides from states in memory that follow the log instead of reading each boundary: a command
     * then appends with the states' position, and reads (the items it has not seen yet) only when
     * needed. A conflict waits until the states have seen the conflicting event, then decides
     * again at once; a second conflict backs off as usual.
     *
     * @param followed the states, fed by one follower of the log; null to read every boundary again
     */
    public synchronized void decideFrom(DecisionStates followed) {
        this.states = followed;
    }

    /**
     * Makes the commands read their boundaries again, unless they decide from other states by now
     * (a newer follower's).
     *
     * @param followed the states that stopped being followed
     */
    public synchronized void stopDecidingFrom(DecisionStates followed) {
        if (states == followed) {
            states = null;
        }
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
        DecisionStates followed = states;
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(command, metadata, attempt - 1, call, followed);
            } catch (AppendConditionFailedException conflict) {
                if (attempt >= maxAttempts) {
                    HandlerCall.quietly(() -> telemetry.retriesExhausted(name));
                    throw new ConcurrencyRetriesExhaustedException(command, attempt, conflict);
                }
                // The first conflict of a command deciding from followed states usually means the
                // states had not seen the newest event yet: once they have, decide again at once.
                // Later ones, or states that do not get there, back off and read as usual.
                boolean caughtUp =
                        followed != null && attempt == 1 && followed.awaitPosition(conflict.foundMaxSequenceNumber());
                if (followed != null && !caughtUp) {
                    followed = null;
                }
                Duration backoff = caughtUp
                        ? Duration.ZERO
                        : settings.retryPolicy()
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

    private CommandOutcome attempt(
            LibraryCommand command, CommandMetadata metadata, int retries, HandlerCall call, DecisionStates followed) {
        Filter boundary = command.boundary();
        List<LibraryEvent> history;
        long expected;
        DecisionStates.View view = followed == null ? null : followed.view(boundary);
        if (view != null) {
            history = view.history();
            expected = view.position();
        } else {
            StoryReads.Read resumed = stories == null ? null : stories.read(boundary);
            if (resumed != null) {
                history = resumed.history();
                expected = resumed.position();
            } else {
                QueryResult result = store.query(boundary, ReadOptions.STRONG);
                history = history(result);
                expected = result.maxSequenceNumber();
            }
        }
        Decision decision = call.decide(() -> command.decide(history));
        List<LibraryEvent> events = decision.eventsToAppend();
        if (events.isEmpty() && view != null) {
            // Nothing to append means no condition checks the states: they may predate the
            // command (its caller's own last append), so only a read may answer "already done".
            return attempt(command, metadata, retries, call, null);
        }
        AppendResult appended;
        try {
            appended = events.isEmpty()
                    ? null
                    : appendResending(command, boundary, expected, toStoreEvents(events, metadata));
        } catch (EventIdConflictException stale) {
            if (view == null) {
                throw stale;
            }
            // A re-delivered message decided from states that predate its first handling: its
            // ids are stored as the first decision. Only a read tells what that was.
            return attempt(command, metadata, retries, call, null);
        }
        return decision.toOutcome(retries, appended);
    }

    /**
     * Appends, and re-sends the same append when the store failed in a way that leaves the outcome
     * unknown and is worth retrying (a lost connection, a restart): the events' ids make that safe.
     * A conflict is not re-sent: the command decides again.
     */
    private AppendResult appendResending(LibraryCommand command, Filter boundary, long expected, Event[] events) {
        long until = System.nanoTime() + settings.resendFor().toNanos();
        for (int resent = 0; ; resent++) {
            try {
                return store.append(boundary, expected, events);
            } catch (DatabaseException unknownOutcome) {
                if (!unknownOutcome.isRetryable() || System.nanoTime() >= until) {
                    throw unknownOutcome;
                }
                pause(
                        command,
                        settings.retryPolicy()
                                .backoff(resent + 1, ThreadLocalRandom.current().nextDouble()));
            }
        }
    }

    /**
     * The id of a command's event: a name-based UUID of the command message's id and the event's
     * position among the command's events. Deterministic, so a re-sent append carries the same ids.
     *
     * @param messageId the command message's id
     * @param position the event's position in the command's append
     * @return the id
     */
    public static UUID eventId(String messageId, int position) {
        return UUID.nameUUIDFromBytes(
                ("dcb-library-command:" + messageId + "#" + position).getBytes(StandardCharsets.UTF_8));
    }

    private static List<LibraryEvent> history(QueryResult result) {
        return result.events().stream()
                .map(LibraryEventCodec::decode)
                .map(RecordedLibraryEvent::event)
                .toList();
    }

    private Event[] toStoreEvents(List<LibraryEvent> events, CommandMetadata command) {
        Instant now = settings.clock().instant();
        Event[] encoded = new Event[events.size()];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = LibraryEventCodec.encode(events.get(i), eventMetadata(command), now)
                    .withId(eventId(command.messageId(), i));
        }
        return encoded;
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
