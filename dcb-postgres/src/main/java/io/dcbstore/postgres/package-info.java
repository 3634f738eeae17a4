/**
 * The PostgreSQL engine of the DCB event store: {@link io.dcbstore.postgres.PostgresEventStore}
 * and its immutable {@link io.dcbstore.postgres.PostgresStoreConfig}. Everything else lives in
 * {@code internal} and is not API.
 */
package io.dcbstore.postgres;
