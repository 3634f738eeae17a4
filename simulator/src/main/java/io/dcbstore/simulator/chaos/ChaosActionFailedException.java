package io.dcbstore.simulator.chaos;

/** A chaos action could not be carried out, e.g. a server that did not start again: the run is void. */
public final class ChaosActionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param cause what went wrong */
    ChaosActionFailedException(RuntimeException cause) {
        super("a chaos action failed, so the run cannot be judged: " + cause.getMessage(), cause);
    }
}
