package io.dcbstore.simulator;

import io.dcbstore.simulator.cluster.ConnectedStore;
import io.dcbstore.simulator.load.Measurements;
import io.dcbstore.simulator.load.Outcome;
import io.dcbstore.simulator.metrics.LatencyWindows;
import io.dcbstore.simulator.report.TimelinePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;

/**
 * Closes each second's measurements into a {@link TimelinePoint}, with the replication lag and the
 * pools' usage, prints it as the {@link LiveLine}, and folds it into the run's 10-second windows.
 * Called on the load generator's reporter thread; {@link #points()} and {@link #windows()} are read
 * after the run.
 */
final class TimelineSampler {
    private final ConnectedStore servers;
    private final Measurements measurements;
    private final double rate;
    private final LiveLine liveLine;
    private final List<TimelinePoint> points = new ArrayList<>();
    private final LatencyWindows windows = new LatencyWindows(LatencyWindows.DEFAULT_SECONDS);

    TimelineSampler(ConnectedStore servers, Measurements measurements, double rate, LiveLine liveLine) {
        this.servers = servers;
        this.measurements = measurements;
        this.rate = rate;
        this.liveLine = liveLine;
    }

    /** @param second the second that ended, from 1 */
    void sample(int second) {
        Measurements.Interval interval = measurements.closeInterval();
        Histogram latency = interval.combined();
        ReplicationLag lag = ReplicationLag.of(servers.store());
        Map<String, Long> byOperation = new LinkedHashMap<>();
        interval.outcomes().forEach((operation, counts) -> {
            long sum = LongStream.of(counts).sum();
            if (sum > 0) {
                byOperation.put(operation.key(), sum);
            }
        });
        PoolUsage pools = PoolUsage.of(servers.primaryPool(), servers.replicaPool());
        long shed = interval.count(Outcome.SHED);
        TimelinePoint point = new TimelinePoint(
                second,
                rate,
                interval.finished() - shed,
                byOperation,
                LatencyMillis.at(latency, 50),
                LatencyMillis.at(latency, 90),
                LatencyMillis.at(latency, 99),
                LatencyMillis.max(latency),
                interval.count(Outcome.ERROR),
                interval.count(Outcome.TIMEOUT),
                interval.retries(),
                interval.lateStarts() + shed,
                lag.millis(),
                lag.bytes(),
                pools.primaryActive(),
                pools.replicaActive());
        liveLine.print(point, shed, pools);
        points.add(point);
        windows.add(latency, point.errors(), point.timeouts(), shed);
    }

    /** @return the points so far, one per second */
    List<TimelinePoint> points() {
        return List.copyOf(points);
    }

    /** @return the windows of the seconds so far */
    LatencyWindows windows() {
        return windows;
    }
}
