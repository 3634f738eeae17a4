package io.dcbstore.simulator.load;

/** Decides the next request (on the pacing thread) and runs it (on a worker). */
public interface Scenario {
    /**
     * @param intendedNanos when the request is meant to start
     * @return the request
     */
    Workload.Request next(long intendedNanos);

    /**
     * @param request a request from {@link #next}
     * @return how it ended
     */
    Workload.Result execute(Workload.Request request);
}
