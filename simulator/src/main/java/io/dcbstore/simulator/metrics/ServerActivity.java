package io.dcbstore.simulator.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples what the servers run besides the store's statements, once a second on its own thread and
 * one connection per server (one query each): autovacuum and autoanalyze workers, checkpoints (and
 * a replica's restartpoints), the oldest transaction of a client when it is over a second old. What
 * it sees goes into an {@link ActivityLog} when it ends, or when the sampler is closed.
 */
public final class ServerActivity implements AutoCloseable {
    private static final long PERIOD_NANOS = 1_000_000_000L;

    /**
     * A server to sample.
     *
     * @param name {@code primary} or {@code replica}
     * @param jdbcUrl its URL
     * @param user the database user
     * @param password the password
     */
    public record Server(String name, String jdbcUrl, String user, String password) {}

    private final List<ServerSampler> samplers = new ArrayList<>();
    private final Runnable alsoEverySecond;
    private final Thread thread;
    private volatile boolean stopped;

    private ServerActivity(List<Server> servers, ActivityLog log, Runnable alsoEverySecond) {
        this.alsoEverySecond = alsoEverySecond;
        for (Server server : servers) {
            samplers.add(new ServerSampler(server, log));
        }
        thread = new Thread(this::run, "simulator-server-activity");
        thread.setDaemon(true);
    }

    /**
     * Starts sampling.
     *
     * @param servers the servers
     * @param log where what ran goes
     * @param alsoEverySecond run on the sampler's thread after each sample (reading CPU times)
     * @return the running sampler; close it to stop
     */
    public static ServerActivity start(List<Server> servers, ActivityLog log, Runnable alsoEverySecond) {
        ServerActivity activity = new ServerActivity(servers, log, alsoEverySecond);
        activity.thread.start();
        return activity;
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopped) {
            try {
                for (ServerSampler sampler : samplers) {
                    if (!stopped) {
                        sampler.sample();
                    }
                }
                if (!stopped) {
                    alsoEverySecond.run();
                }
            } catch (RuntimeException e) {
                // A sample that failed is missing from the report; the next one is taken as usual.
            }
            next += PERIOD_NANOS;
            long remaining;
            while (!stopped && (remaining = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
            }
            if (next < System.nanoTime()) {
                next = System.nanoTime(); // a slow sample: no catching up
            }
        }
    }

    /**
     * Stops sampling (waiting for a query in flight, up to its timeout), records what was still
     * running, closes the connections. Closing it again does nothing.
     */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(ServerSampler.QUERY_TIMEOUT_SECONDS * 2_000L + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServerSampler sampler : samplers) {
            sampler.close();
        }
    }
}
