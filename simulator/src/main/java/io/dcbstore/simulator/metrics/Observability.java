package io.dcbstore.simulator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The registries the store, the pools and the library handlers record into; null for none.
 *
 * @param meters where meters go, or null
 * @param observations where observations go, or null
 */
public record Observability(MeterRegistry meters, ObservationRegistry observations) {
    /** Nothing recorded. */
    public static final Observability NONE = new Observability(null, null);
}
