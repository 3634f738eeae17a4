package io.dcbstore;

import java.util.Iterator;

/**
 * Matching events read lazily, in sequence order, without loading them all into memory. Holds a
 * database connection until closed; use it in try-with-resources.
 */
public interface EventStream extends Iterator<StoredEvent>, AutoCloseable {
    /** @return the highest sequence number returned so far (0 before the first event) */
    long maxSequenceNumberSoFar();

    /** Releases the connection. Never throws checked exceptions. */
    @Override
    void close();
}
