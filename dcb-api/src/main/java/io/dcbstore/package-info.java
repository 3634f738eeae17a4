/**
 * The engine-neutral API of the DCB event store: events, filters, append conditions, query
 * results, snapshots and the exceptions every engine throws.
 *
 * <p>A <em>Dynamic Consistency Boundary</em> is the set of events a decision depends on, described
 * by a {@link io.dcbstore.Filter}. A command handler {@linkplain io.dcbstore.EventStore#query queries}
 * the boundary, decides, and {@linkplain io.dcbstore.EventStore#append appends} with the same filter
 * and the highest sequence number it saw; the append fails with
 * {@link io.dcbstore.AppendConditionFailedException} if another event matching the boundary was
 * appended in between.
 *
 * <p>Every type in this package is non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.dcbstore;

import org.jspecify.annotations.NullMarked;
