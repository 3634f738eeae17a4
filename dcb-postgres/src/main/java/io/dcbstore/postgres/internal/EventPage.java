package io.dcbstore.postgres.internal;

import io.dcbstore.StoredEvent;
import java.util.List;

/**
 * A page of a subscription's read.
 *
 * @param events the events, in sequence order
 * @param scannedThrough the position the next page reads after: the last event's when the page is
 *     full, else the safe mark (no match up to it was left out)
 * @param full whether the page reached its limit (more may follow at once)
 */
public record EventPage(List<StoredEvent> events, long scannedThrough, boolean full) {}
