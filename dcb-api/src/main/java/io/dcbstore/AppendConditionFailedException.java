package io.dcbstore;

/**
 * An append was refused because an event matching its condition's filter was appended after the
 * expected sequence number. Nothing of the append was written. Retryable: re-query the boundary,
 * decide again and append with the new sequence number.
 */
public final class AppendConditionFailedException extends EventStoreException {
    private static final long serialVersionUID = 1L;
    /** The highest sequence number the caller had seen. */
    private final long expectedMaxSequenceNumber;
    /** The highest sequence number matching the condition, found at append time. */
    private final long foundMaxSequenceNumber;

    /**
     * @param expectedMaxSequenceNumber the highest sequence number the caller had seen
     * @param foundMaxSequenceNumber the highest matching sequence number found at append time
     */
    public AppendConditionFailedException(long expectedMaxSequenceNumber, long foundMaxSequenceNumber) {
        super(
                "append condition failed: expected no event matching the filter after sequence number "
                        + expectedMaxSequenceNumber + ", found one at " + foundMaxSequenceNumber,
                null);
        this.expectedMaxSequenceNumber = expectedMaxSequenceNumber;
        this.foundMaxSequenceNumber = foundMaxSequenceNumber;
    }

    /** @return the highest sequence number the caller expected to be current for the boundary */
    public long expectedMaxSequenceNumber() {
        return expectedMaxSequenceNumber;
    }

    /** @return the highest sequence number of a matching event found when appending */
    public long foundMaxSequenceNumber() {
        return foundMaxSequenceNumber;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
