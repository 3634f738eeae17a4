/**
 * Embedded PostgreSQL for tests, demos and the simulator: servers started from the binaries on
 * Maven Central (no Docker, no system install), tuned settings per role, and a primary with
 * streaming replicas. When the JVM runs as root, the servers run as the unprivileged user
 * {@code nobody}; a normal user needs none of this.
 */
package io.dcbstore.embedded;
