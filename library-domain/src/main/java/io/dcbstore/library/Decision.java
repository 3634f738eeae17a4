package io.dcbstore.library;

import io.dcbstore.AppendResult;
import io.dcbstore.library.internal.Problems;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a command's pure {@code decide} function concluded from the events of its boundary: append
 * events, do nothing because the command already took effect, or refuse it with a failure event.
 */
public sealed interface Decision {
    /** @return the events to append: none for {@link Idempotent}, the failure event for {@link BusinessFailure} */
    List<LibraryEvent> eventsToAppend();

    /**
     * @param retries how many concurrency conflicts preceded this decision
     * @param appended what appending {@link #eventsToAppend()} wrote; {@code null} when nothing was appended
     * @return the outcome to report to the caller
     */
    CommandOutcome toOutcome(int retries, AppendResult appended);

    /**
     * @param events one or more state-changing events
     * @return a decision to append them
     */
    static Decision append(LibraryEvent... events) {
        return new Append(events == null ? null : Arrays.asList(events));
    }

    /**
     * @param reason why nothing needs to be done
     * @return a decision to append nothing
     */
    static Decision idempotent(String reason) {
        return new Idempotent(reason);
    }

    /**
     * @param reason the business rule that refused the command
     * @param failureEvent the event recording the refusal
     * @return a decision to refuse the command
     */
    static Decision businessFailure(FailureReason reason, LibraryEvent.Failure failureEvent) {
        return new BusinessFailure(reason, failureEvent);
    }

    /**
     * The command changes the library: append these events.
     *
     * @param events one or more events, none of them a failure event
     */
    record Append(List<LibraryEvent> events) implements Decision {
        /** Requires at least one event and no failure events. */
        public Append {
            new Problems().notNull("events", events).throwIfAny();
            new Problems()
                    .check(events.stream().noneMatch(Objects::isNull), "events must not contain null")
                    .throwIfAny();
            events = List.copyOf(events);
            new Problems()
                    .check(!events.isEmpty(), "an Append decision needs at least one event")
                    .check(
                            events.stream().noneMatch(LibraryEvent.Failure.class::isInstance),
                            "an Append decision must not contain failure events; use a BusinessFailure")
                    .throwIfAny();
        }

        @Override
        public List<LibraryEvent> eventsToAppend() {
            return events;
        }

        @Override
        public CommandOutcome toOutcome(int retries, AppendResult appended) {
            String types = events.stream().map(LibraryEvent::eventType).collect(Collectors.joining(", "));
            return CommandOutcome.success("appended " + types, retries, appended);
        }
    }

    /**
     * The command already took effect: append nothing.
     *
     * @param reason why nothing needs to be done
     */
    record Idempotent(String reason) implements Decision {
        /** Requires a reason. */
        public Idempotent {
            new Problems().text("reason", reason).throwIfAny();
        }

        @Override
        public List<LibraryEvent> eventsToAppend() {
            return List.of();
        }

        @Override
        public CommandOutcome toOutcome(int retries, AppendResult appended) {
            return CommandOutcome.idempotent(reason, retries);
        }
    }

    /**
     * A business rule refuses the command: append only the failure event, and report the reason.
     *
     * @param reason the rule that refused the command
     * @param failureEvent the event recording the refusal; its {@code FailureInfo} is the reason's description
     */
    record BusinessFailure(FailureReason reason, LibraryEvent.Failure failureEvent) implements Decision {
        /** Requires both fields, consistent with each other. */
        public BusinessFailure {
            new Problems()
                    .notNull("reason", reason)
                    .notNull("failure event", failureEvent)
                    .throwIfAny();
            new Problems()
                    .check(
                            failureEvent.failureInfo().equals(reason.description()),
                            "the failure event's FailureInfo must be the reason's description")
                    .throwIfAny();
        }

        @Override
        public List<LibraryEvent> eventsToAppend() {
            return List.of(failureEvent);
        }

        @Override
        public CommandOutcome toOutcome(int retries, AppendResult appended) {
            return CommandOutcome.businessFailure(reason, retries, appended);
        }
    }
}
