package io.dcbstore;

import java.util.ArrayList;
import java.util.List;

/**
 * The DCB specification's append condition: fail if any event matching {@code failIfEventsMatch}
 * has a sequence number greater than {@code after}. {@code after = 0} means "no matching event
 * may exist at all".
 *
 * @param failIfEventsMatch the consistency boundary; its range restrictions are ignored
 * @param after the highest sequence number of the boundary the caller saw (0 when it saw none)
 */
public record AppendCondition(Filter failIfEventsMatch, long after) {
    /**
     * Validates the condition.
     *
     * @param failIfEventsMatch the consistency boundary; its range restrictions are ignored
     * @param after the highest sequence number of the boundary the caller saw (0 when it saw none)
     */
    public AppendCondition {
        List<String> problems = new ArrayList<>();
        if (failIfEventsMatch == null) {
            problems.add("append condition filter must not be null");
        } else if (failIfEventsMatch.occurredFrom() != null
                || failIfEventsMatch.occurredUntil() != null
                || failIfEventsMatch.sequenceNumberAfter() != 0) {
            problems.add("append condition filter must not restrict occurred-at or sequence number;"
                    + " the expected sequence number is given by 'after'");
        }
        if (after < 0) {
            problems.add("append condition 'after' must not be negative, got " + after);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * @param filter the consistency boundary
     * @param expectedMaxSequenceNumber the highest sequence number of the boundary seen by the caller
     * @return the condition
     */
    public static AppendCondition of(Filter filter, long expectedMaxSequenceNumber) {
        return new AppendCondition(filter, expectedMaxSequenceNumber);
    }
}
