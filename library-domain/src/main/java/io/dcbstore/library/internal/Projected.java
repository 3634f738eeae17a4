package io.dcbstore.library.internal;

/**
 * A projection's state and the sequence number it reflects.
 *
 * @param state the state
 * @param sequenceNumber the highest sequence number of the events applied (including those of the
 *     snapshot it started from); 0 when none
 * @param <S> the state type
 */
public record Projected<S>(S state, long sequenceNumber) {}
