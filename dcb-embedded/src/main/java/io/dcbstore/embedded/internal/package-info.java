/**
 * Implementation of the embedded launcher: which PostgreSQL binaries fit the platform the JVM
 * runs on, and how the server's programs are started and signalled there (Linux, macOS,
 * Windows). Not API: may change without notice.
 */
package io.dcbstore.embedded.internal;
