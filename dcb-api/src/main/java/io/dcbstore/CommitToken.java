package io.dcbstore;

/**
 * What an append returns so that later reads can ask to see it ("read your writes"): the highest
 * sequence number it wrote and the primary's write-ahead-log position after writing it.
 *
 * @param sequenceNumber the highest sequence number written by the append
 * @param walPosition the primary's WAL insert position (an LSN as a number) when the append wrote
 */
public record CommitToken(long sequenceNumber, long walPosition) {
    /**
     * Validates the token.
     *
     * @param sequenceNumber the highest sequence number written by the append
     * @param walPosition the primary's WAL insert position (an LSN as a number) when the append wrote
     */
    public CommitToken {
        if (sequenceNumber < 0 || walPosition < 0) {
            throw new InvalidInputException("commit token fields must not be negative");
        }
    }
}
