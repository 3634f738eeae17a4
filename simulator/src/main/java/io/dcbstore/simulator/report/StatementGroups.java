package io.dcbstore.simulator.report;

/**
 * The database's execution time on one server, by what the store used the statements for.
 *
 * @param read queries and commit-token checks
 * @param append locks, checks, id allocation and inserts
 * @param snapshot snapshot reads and writes
 * @param other everything else on the server
 */
public record StatementGroups(StatementTime read, StatementTime append, StatementTime snapshot, StatementTime other) {}
