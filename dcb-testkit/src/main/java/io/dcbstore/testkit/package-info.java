/**
 * Test kit: the shared test database (embedded by default, external through an environment
 * variable) and the abstract contract suites every {@link io.dcbstore.EventStore} must pass.
 */
package io.dcbstore.testkit;
