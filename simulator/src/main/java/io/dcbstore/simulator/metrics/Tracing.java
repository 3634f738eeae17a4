package io.dcbstore.simulator.metrics;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;

/**
 * Tracing through Micrometer Observation and its OpenTelemetry bridge: every observation becomes
 * an OpenTelemetry span, and log lines made inside one carry its {@code traceId} and
 * {@code spanId} in SLF4J's MDC. The spans go through a batch processor to the given exporter (one
 * that drops them measures the tracer's own cost).
 */
public final class Tracing implements AutoCloseable {
    private final SdkTracerProvider spans;
    private final ObservationRegistry observations = ObservationRegistry.create();

    /** @param exporter where finished spans go */
    public Tracing(SpanExporter exporter) {
        spans = SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        OtelCurrentTraceContext context = new OtelCurrentTraceContext();
        Slf4JEventListener mdc = new Slf4JEventListener();
        OtelTracer tracer = new OtelTracer(
                spans.get("io.dcbstore"), context, mdc::onEvent, new OtelBaggageManager(context, List.of(), List.of()));
        observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    }

    /** @return tracing whose spans are made, then dropped */
    public static Tracing dropping() {
        return new Tracing(SpanExporter.composite());
    }

    /** @return the registry to give the store and the handlers */
    public ObservationRegistry observations() {
        return observations;
    }

    @Override
    public void close() {
        spans.close();
    }
}
