/**
 * Embedded PostgreSQL for tests, demos and the simulator: servers started from the binaries on
 * Maven Central (no Docker, no system install), tuned settings per role, and a primary with
 * streaming replicas.
 *
 * <p>Supported platforms ({@link io.dcbstore.embedded.PostgresPlatform}): Linux x86-64 (glibc,
 * or musl as on Alpine) and arm64, macOS x86-64 and arm64, Windows x86-64, each from its own
 * artifact of {@code io.zonky.test.postgres}. The build adds the artifact of the platform it runs
 * on (Maven profiles activated by {@code os.name} and {@code os.arch}), and
 * {@link io.dcbstore.embedded.PostgresBinaries} picks the archive of the platform the JVM runs on.
 * Any other platform fails with {@link io.dcbstore.embedded.UnsupportedPlatformException}; a
 * supported one whose artifact is missing, with {@link io.dcbstore.embedded.MissingBinariesException},
 * which names the artifact to add.
 *
 * <p>When the JVM runs as root on Linux, the servers run as the unprivileged user {@code nobody}
 * ({@code setpriv}); a root JVM elsewhere is refused, and a normal user needs none of this. On
 * Windows the programs end in {@code .exe}, there is no {@code nice} (replicas run at normal
 * priority), signals go through {@code pg_ctl kill}, and the JVM must run without administrator
 * rights, as PostgreSQL requires.
 */
package io.dcbstore.embedded;
