/**
 * Test kit: an embedded PostgreSQL server started from the binaries on Maven Central (no Docker,
 * no system install, works when run as root by dropping to an unprivileged user), the shared test
 * database, and the abstract contract suite every {@link io.dcbstore.EventStore} must pass.
 */
package io.dcbstore.testkit;
