package io.dcbstore.library;

import io.dcbstore.EventStore;
import io.dcbstore.library.internal.CommandExecutor;
import io.dcbstore.library.internal.DecisionStates;
import io.dcbstore.library.internal.HandlerTelemetry;
import io.dcbstore.library.internal.Problems;

/**
 * Handles library commands on an event store. For every command it:
 * <ol>
 *   <li>queries the command's {@linkplain LibraryCommand#boundary() boundary} with
 *       {@link io.dcbstore.ReadOptions#STRONG strong consistency};</li>
 *   <li>calls the command's pure {@linkplain LibraryCommand#decide decide} function;</li>
 *   <li>appends the decided events (or the failure event) with the same boundary and the highest
 *       sequence number it saw, so the append fails if the boundary changed in between;</li>
 *   <li>on such a conflict, waits as the {@link RetryPolicy} says and starts again.</li>
 * </ol>
 *
 * <pre>{@code
 * LibraryCommands commands = LibraryCommands.create(store);
 * CommandOutcome outcome = commands.handle(new LendBookCopyToReader(bookId, readerId));
 * switch (outcome.status()) { case SUCCESS: ...; case IDEMPOTENT: ...; case BUSINESS_FAILURE: ... }
 * }</pre>
 *
 * <p>Thread-safe; share one instance. Store exceptions other than concurrency conflicts
 * (timeouts, database failures) are not retried and propagate unchanged.
 */
public final class LibraryCommands {
    private final CommandExecutor executor;
    private final CommandSettings settings;

    /** For {@link ObservedLibrary}: a handler that records through the given telemetry. */
    static LibraryCommands create(EventStore store, CommandSettings settings, HandlerTelemetry telemetry) {
        new Problems()
                .notNull("event store", store)
                .notNull("settings", settings)
                .throwIfAny();
        return new LibraryCommands(store, settings, telemetry);
    }

    private LibraryCommands(EventStore store, CommandSettings settings, HandlerTelemetry telemetry) {
        this.executor = new CommandExecutor(store, settings, telemetry);
        this.settings = settings;
    }

    /**
     * @param store the event store; the caller keeps and closes it
     * @return a command handler with {@link CommandSettings#defaults()}
     */
    public static LibraryCommands create(EventStore store) {
        return create(store, CommandSettings.defaults());
    }

    /**
     * @param store the event store; the caller keeps and closes it
     * @param settings retry policy, clock and message ids
     * @return a command handler
     */
    public static LibraryCommands create(EventStore store, CommandSettings settings) {
        new Problems()
                .notNull("event store", store)
                .notNull("settings", settings)
                .throwIfAny();
        return new LibraryCommands(store, settings, HandlerTelemetry.NONE);
    }

    /** Commands decide from these followed states from now on. */
    void decideFrom(DecisionStates states) {
        executor.decideFrom(states);
    }

    /** Commands read their boundaries again, unless they decide from other states by now. */
    void stopDecidingFrom(DecisionStates states) {
        executor.stopDecidingFrom(states);
    }

    /**
     * Handles a command that starts a conversation: it gets a new message id, which is also its
     * correlation id.
     *
     * @param command the command
     * @return what the command did
     * @throws ConcurrencyRetriesExhaustedException if every attempt ended in a concurrency conflict
     * @throws CommandInterruptedException if interrupted while waiting to retry
     * @throws io.dcbstore.EventStoreException if the store failed otherwise
     */
    public CommandOutcome handle(LibraryCommand command) {
        return handle(
                command,
                CommandMetadata.startingConversation(settings.messageIds().get()));
    }

    /**
     * Handles a command; its events are caused by {@code metadata.messageId()} and carry its
     * correlation id.
     *
     * @param command the command
     * @param metadata the command message's id and correlation id
     * @return what the command did
     * @throws ConcurrencyRetriesExhaustedException if every attempt ended in a concurrency conflict
     * @throws CommandInterruptedException if interrupted while waiting to retry
     * @throws io.dcbstore.EventStoreException if the store failed otherwise
     */
    public CommandOutcome handle(LibraryCommand command, CommandMetadata metadata) {
        new Problems()
                .notNull("command", command)
                .notNull("command metadata", metadata)
                .throwIfAny();
        return executor.execute(command, metadata);
    }
}
