/**
 * An example domain on the DCB event store: a library that circulates book copies and lends them
 * to registered readers. It is meant to be read to learn the pattern, and it is the workload of
 * the load simulator.
 *
 * <p><b>Commands.</b> Each {@link io.dcbstore.library.LibraryCommand} is a record that knows its
 * consistency {@linkplain io.dcbstore.library.LibraryCommand#boundary() boundary} (a
 * {@link io.dcbstore.Filter} over exactly the events its decision depends on) and a pure
 * {@linkplain io.dcbstore.library.LibraryCommand#decide(java.util.List) decide} function that
 * returns a {@link io.dcbstore.library.Decision}. {@link io.dcbstore.library.LibraryCommands}
 * queries the boundary with strong consistency, decides, and appends with the same filter and the
 * highest sequence number it saw, retrying concurrency conflicts with backoff.
 *
 * <p><b>Queries.</b> {@link io.dcbstore.library.LibraryQueries} answers read-model questions
 * (books in circulation, lendings, readers) from projections that resume from their state cached in
 * memory or from store snapshots, reading with eventual consistency unless the caller asks for more.
 *
 * <p><b>Invariants.</b> {@link io.dcbstore.library.LibraryInvariants} checks, from the event log
 * alone, that the rules the commands enforce held at every point of the history.
 *
 * <p><b>Events.</b> {@link io.dcbstore.library.LibraryEvent} lists every event; their JSON payload
 * keys ({@link io.dcbstore.library.PayloadKeys}) and metadata keys
 * ({@link io.dcbstore.library.EventMetadata}) follow the Go DCB reference implementation.
 * {@link io.dcbstore.library.LibraryEventCodec} converts them to and from store events.
 */
package io.dcbstore.library;
