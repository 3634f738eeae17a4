/**
 * Implementation of the PostgreSQL engine: SQL text, lock keys, statement execution with timeouts
 * and the mapping of SQLSTATEs to the API's exceptions. Not API: may change without notice.
 */
package io.dcbstore.postgres.internal;
