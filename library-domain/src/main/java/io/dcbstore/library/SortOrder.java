package io.dcbstore.library;

/** The order of time-ordered query results. */
public enum SortOrder {
    /** Oldest first. */
    OLDEST_FIRST,
    /** Newest first. */
    NEWEST_FIRST
}
