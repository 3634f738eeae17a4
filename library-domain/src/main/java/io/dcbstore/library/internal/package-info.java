/**
 * Implementation of the library domain: the command execution loop (query, decide, append,
 * retry), the projections behind the queries, their memory cache and snapshot handling, and the
 * immutable states that share their bulk between versions. Nothing here is needed
 * to use the domain; use {@link io.dcbstore.library.LibraryCommands} and
 * {@link io.dcbstore.library.LibraryQueries}.
 */
package io.dcbstore.library.internal;
