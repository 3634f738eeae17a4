/**
 * Implementation of the library domain: the command execution loop (query, decide, append,
 * retry), the projections behind the queries and their snapshot handling. Nothing here is needed
 * to use the domain; use {@link io.dcbstore.library.LibraryCommands} and
 * {@link io.dcbstore.library.LibraryQueries}.
 */
package io.dcbstore.library.internal;
