package io.dcbstore.simulator.load;

/** How one request ended, from the simulator's point of view. */
public enum Outcome {
    /** The command changed the library, or the query answered. */
    OK,
    /** The command was already done: nothing appended. */
    IDEMPOTENT,
    /** The domain refused the command (and recorded its failure event). */
    BUSINESS_FAILURE,
    /** The request took longer than its timeout (or the store timed out). */
    TIMEOUT,
    /** The request failed for a reason that is not the domain's: database, driver, bug. */
    ERROR,
    /** The request could not start within its timeout and was not sent (backpressure). */
    SHED
}
