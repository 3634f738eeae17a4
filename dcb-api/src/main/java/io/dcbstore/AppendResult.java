package io.dcbstore;

/**
 * What an append wrote: the sequence numbers of its first and last events (consecutive in the
 * order given) and a token for reading it back.
 *
 * @param firstSequenceNumber the sequence number of the first event
 * @param lastSequenceNumber the sequence number of the last event
 * @param commitToken a token that reads may require to be visible
 */
public record AppendResult(long firstSequenceNumber, long lastSequenceNumber, CommitToken commitToken) {}
