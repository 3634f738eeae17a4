package io.dcbstore;

import io.dcbstore.postgres.PostgresEventStore;

/** Breaks the rules on purpose: a class in the API package that knows the PostgreSQL engine. */
public final class ApiClassUsingTheEngine {
    PostgresEventStore store;
}
