package io.dcbstore.postgres.internal;

import io.dcbstore.StoredEvent;
import java.util.List;

/**
 * A page of a subscription's read.
 *
 * @param events the events, in sequence order
 * @param scannedThrough the position the next page reads after: the last event's when the page is
 *     full, else the safe mark or the end of the page's window, whichever is lower (no match up
 *     to it was left out)
 * @param more whether more may follow at once (the page was full, or the mark lies beyond its
 *     window): read again without waiting
 */
public record EventPage(List<StoredEvent> events, long scannedThrough, boolean more) {}
