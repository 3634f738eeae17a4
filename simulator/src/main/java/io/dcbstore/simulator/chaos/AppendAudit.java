package io.dcbstore.simulator.chaos;

import io.dcbstore.EventStore;
import io.dcbstore.EventStream;
import io.dcbstore.Filter;
import io.dcbstore.ReadOptions;
import io.dcbstore.StoredEvent;
import io.dcbstore.simulator.report.AppendAuditReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the log once, in sequence order, and checks it against the acknowledged appends:
 *
 * <ul>
 *   <li>lost: an acknowledged event that is not at the sequence number the store gave it (same
 *       type and {@code MessageID});</li>
 *   <li>doubled: an event whose {@code MessageID} was already in the log, or whose command
 *       ({@code CausationID}) already appended events in an earlier append: the events of one
 *       append are consecutive in the log, so a command's events appear as one run, and a second
 *       run is a retry that wrote them again.</li>
 * </ul>
 *
 * Only events after {@code afterSequenceNumber} (the log's head when the run began) are checked
 * for doubles; the seeded history carries no ids.
 */
public final class AppendAudit {
    /** How many problems a report describes; it counts all of them. */
    public static final int MAX_EXAMPLES = 10;

    private final Map<Long, EventIdentity> expected = new HashMap<>();
    private final long afterSequenceNumber;
    private final Set<String> messageIds = new HashSet<>();
    private final Set<String> commands = new HashSet<>();
    private final List<String> examples = new ArrayList<>();
    private String currentCommand = "";
    private long eventsRead;
    private long lost;
    private long doubled;

    private AppendAudit(List<AcknowledgedEvent> acknowledged, long afterSequenceNumber) {
        acknowledged.forEach(event -> expected.put(event.sequenceNumber(), event.identity()));
        this.afterSequenceNumber = afterSequenceNumber;
    }

    /**
     * Streams the whole log of the store (strongly consistent) and checks it.
     *
     * @param store the store, read directly
     * @param acknowledged the appends it acknowledged
     * @param afterSequenceNumber the log's head when the appends began
     * @return what was found
     */
    public static AppendAuditReport check(
            EventStore store, AcknowledgedAppends acknowledged, long afterSequenceNumber) {
        try (EventStream log = store.stream(Filter.matchAll(), ReadOptions.STRONG)) {
            return check(log, acknowledged.events(), acknowledged.appends(), afterSequenceNumber);
        }
    }

    /**
     * @param log the log's events in sequence order
     * @param acknowledged the acknowledged events
     * @param appends how many appends they came from
     * @param afterSequenceNumber the log's head when the appends began
     * @return what was found
     */
    public static AppendAuditReport check(
            Iterator<StoredEvent> log, List<AcknowledgedEvent> acknowledged, long appends, long afterSequenceNumber) {
        AppendAudit audit = new AppendAudit(acknowledged, afterSequenceNumber);
        while (log.hasNext()) {
            audit.accept(log.next());
        }
        audit.expected.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(missing -> audit.lost(
                        "acknowledged " + missing.getValue() + " at " + missing.getKey() + " is not in the log"));
        return new AppendAuditReport(
                appends, acknowledged.size(), audit.eventsRead, audit.lost, audit.doubled, audit.examples);
    }

    private void accept(StoredEvent stored) {
        EventIdentity identity = null;
        EventIdentity wanted = expected.remove(stored.sequenceNumber());
        if (wanted != null) {
            identity = EventIdentity.of(stored.type(), stored.metadata());
            if (!wanted.type().equals(identity.type()) || !wanted.messageId().equals(identity.messageId())) {
                lost("acknowledged " + wanted + " at " + stored.sequenceNumber() + ", but the log has " + identity);
            }
        }
        if (stored.sequenceNumber() <= afterSequenceNumber) {
            return;
        }
        eventsRead++;
        if (identity == null) {
            identity = EventIdentity.of(stored.type(), stored.metadata());
        }
        boolean again = !identity.messageId().isEmpty() && !messageIds.add(identity.messageId());
        String command = identity.causationId();
        if (!command.equals(currentCommand)) {
            again |= !command.isEmpty() && !commands.add(command);
            currentCommand = command;
        }
        if (again) {
            doubled++;
            example(identity + " at " + stored.sequenceNumber() + " is in the log twice");
        }
    }

    private void lost(String problem) {
        lost++;
        example(problem);
    }

    private void example(String problem) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(problem);
        }
    }
}
