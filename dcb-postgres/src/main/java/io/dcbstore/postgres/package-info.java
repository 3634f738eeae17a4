/**
 * The PostgreSQL engine of the DCB event store: {@link io.dcbstore.postgres.PostgresEventStore}
 * and its immutable {@link io.dcbstore.postgres.PostgresStoreConfig}. Everything else lives in
 * {@code internal} and is not API.
 *
 * <p>Every type in this package is non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.dcbstore.postgres;

import org.jspecify.annotations.NullMarked;
