package io.dcbstore.postgres.internal;

import io.dcbstore.postgres.internal.Telemetry.Operation;
import io.micrometer.observation.Observation;

/**
 * One store call recorded by {@link MicrometerTelemetry}: a timer sample when it closes, and an
 * observation (a span, with a tracing bridge) open while it runs, so that spans and logs made
 * inside it (the driver's, the application's) are its children. The span follows OpenTelemetry's
 * database conventions: {@code db.system}, {@code db.operation}, {@code server.address}; never a
 * payload or a filter value.
 */
final class MicrometerStoreCall extends StoreCall {
    private final MicrometerTelemetry telemetry;
    private final Operation operation;
    private final long started = System.nanoTime();
    private final Observation observation;
    private final Observation.Scope scope;
    private String node = ReadRouter.PRIMARY;
    private long databaseNanos;
    private long tokenWaitNanos;
    private int events = -1;
    private long expected = -1;
    private long resulting = -1;
    private Outcome outcome = Outcome.SUCCESS;

    MicrometerStoreCall(MicrometerTelemetry telemetry, Operation operation) {
        this.telemetry = telemetry;
        this.operation = operation;
        if (telemetry.observations().isNoop()) {
            observation = null;
            scope = null;
        } else {
            observation = Observation.createNotStarted(MicrometerTelemetry.OBSERVATION, telemetry.observations())
                    .contextualName("dcb " + operation.tag())
                    .lowCardinalityKeyValue("db.system", "postgresql")
                    .lowCardinalityKeyValue("db.operation", operation.tag())
                    .start();
            try {
                scope = observation.openScope();
            } catch (RuntimeException e) {
                observation.stop();
                throw e;
            }
        }
        makeCurrent();
    }

    @Override
    public void servedBy(String servingNode) {
        this.node = servingNode;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public void eventsRead(int count) {
        events = count;
    }

    @Override
    public void appending(int count, long expectedSequenceNumber) {
        events = count;
        expected = expectedSequenceNumber;
    }

    @Override
    public void appended(long lastSequenceNumber) {
        resulting = lastSequenceNumber;
    }

    @Override
    public void waitedForToken(long nanos) {
        tokenWaitNanos += nanos;
    }

    @Override
    public void failed(RuntimeException failure) {
        outcome = Outcome.of(failure);
        if (observation != null) {
            observation.error(failure);
        }
    }

    @Override
    void addDatabaseTime(long nanos) {
        databaseNanos += nanos;
    }

    @Override
    public void close() {
        clearCurrent();
        try {
            telemetry.record(operation, outcome, node, System.nanoTime() - started, databaseNanos);
            if (outcome == Outcome.SUCCESS && events > 0) {
                if (operation == Operation.APPEND) {
                    telemetry.eventsAppended(events);
                } else {
                    telemetry.eventsRead(operation, node, events);
                }
            }
            if (tokenWaitNanos > 0) {
                telemetry.tokenWait(tokenWaitNanos);
            }
        } finally {
            if (observation != null) {
                endObservation();
            }
        }
    }

    private void endObservation() {
        try {
            observation
                    .lowCardinalityKeyValue("dcb.node", node)
                    .lowCardinalityKeyValue("dcb.outcome", outcome.outcome())
                    .lowCardinalityKeyValue("error.type", outcome.errorType())
                    .highCardinalityKeyValue("server.address", telemetry.addressOf(node));
            if (events >= 0) {
                observation.highCardinalityKeyValue("dcb.events.count", Integer.toString(events));
            }
            if (expected >= 0) {
                observation.highCardinalityKeyValue("dcb.sequence.expected", Long.toString(expected));
            }
            if (resulting >= 0) {
                observation.highCardinalityKeyValue("dcb.sequence.result", Long.toString(resulting));
            }
        } finally {
            try {
                scope.close();
            } finally {
                observation.stop();
            }
        }
    }
}
