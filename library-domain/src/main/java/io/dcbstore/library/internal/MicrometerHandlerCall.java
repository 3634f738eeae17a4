package io.dcbstore.library.internal;

import io.micrometer.observation.Observation;
import java.util.function.Supplier;

/** One command or query recorded by {@link MicrometerHandlerTelemetry}. */
final class MicrometerHandlerCall extends HandlerCall {
    private final MicrometerHandlerTelemetry telemetry;
    private final String kind;
    private final String name;
    private final long started = System.nanoTime();
    private final Observation observation;
    private final Observation.Scope scope;
    private String outcome = "error";
    private int retries;

    MicrometerHandlerCall(MicrometerHandlerTelemetry telemetry, String observationName, String kind, String name) {
        this.telemetry = telemetry;
        this.kind = kind;
        this.name = name;
        if (telemetry.observations().isNoop()) {
            observation = null;
            scope = null;
        } else {
            observation = Observation.createNotStarted(observationName, telemetry.observations())
                    .contextualName(kind + " " + name)
                    .lowCardinalityKeyValue("library." + kind, name)
                    .start();
            try {
                scope = observation.openScope();
            } catch (RuntimeException e) {
                observation.stop();
                throw e;
            }
        }
    }

    @Override
    public <T> T decide(Supplier<T> decision) {
        if (observation == null) {
            return decision.get();
        }
        Observation[] decide = new Observation[1];
        Observation.Scope[] scope = new Observation.Scope[1];
        quietly(() -> {
            decide[0] = Observation.createNotStarted("library.decide", telemetry.observations())
                    .contextualName("decide " + name)
                    .lowCardinalityKeyValue("library.command", name)
                    .start();
            scope[0] = decide[0].openScope();
        });
        try {
            return decision.get();
        } finally {
            quietly(() -> {
                try {
                    if (scope[0] != null) {
                        scope[0].close();
                    }
                } finally {
                    if (decide[0] != null) {
                        decide[0].stop();
                    }
                }
            });
        }
    }

    @Override
    public void retrying(int attempt) {
        retries = attempt;
        if (observation != null) {
            observation.event(Observation.Event.of("retry", "append conflicted; retrying"));
        }
    }

    @Override
    public void succeeded(String result) {
        outcome = result;
    }

    @Override
    public void failed(RuntimeException failure) {
        outcome = outcomeOf(failure);
        if (observation != null) {
            observation.error(failure);
        }
    }

    @Override
    public void close() {
        try {
            telemetry.record(kind, name, outcome, System.nanoTime() - started);
        } finally {
            if (observation != null) {
                try {
                    observation
                            .lowCardinalityKeyValue("library.outcome", outcome)
                            .highCardinalityKeyValue("library.retries", Integer.toString(retries));
                } finally {
                    try {
                        scope.close();
                    } finally {
                        observation.stop();
                    }
                }
            }
        }
    }
}
