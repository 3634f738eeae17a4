package io.dcbstore.simulator.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Carries out a chaos schedule on its own thread while the load runs, and, on a second thread,
 * probes every restarted server every millisecond until a request through it succeeds (its
 * recovery). {@link #finish} stops both and returns the outages as they happened.
 */
final class ChaosRunner {
    private static final long PROBE_NANOS = 1_000_000;

    private final ChaosSchedule schedule;
    private final ClusterFaults faults;
    private final PrintStream out;
    private final List<Outage> outages = new ArrayList<>();
    private final List<Outage> byStep = new ArrayList<>();
    private volatile boolean stopped;
    private volatile RuntimeException failure;
    private Thread actions;
    private Thread prober;
    private long runStart;

    /**
     * @param schedule what to do when
     * @param faults carries out the actions
     * @param successes per server, a count of requests it served successfully (only grows)
     * @param out where each action is announced
     */
    ChaosRunner(
            ChaosSchedule schedule,
            ClusterFaults faults,
            Map<ChaosAction.Server, LongSupplier> successes,
            PrintStream out) {
        this.schedule = schedule;
        this.faults = faults;
        this.out = out;
        List<ChaosStep> steps = schedule.steps();
        for (ChaosStep step : steps) {
            Outage outage = null;
            if (step.action().takesDown()) {
                ChaosStep start = steps.subList(steps.indexOf(step), steps.size()).stream()
                        .filter(later -> !later.action().takesDown()
                                && later.action().server() == step.action().server())
                        .findFirst()
                        .orElseThrow();
                outage = new Outage(step, start, successes.get(step.action().server()));
                outages.add(outage);
            } else {
                outage = byStep.stream()
                        .filter(earlier -> earlier != null && earlier.start == step)
                        .findFirst()
                        .orElseThrow();
            }
            byStep.add(outage);
        }
    }

    /** @return the outages of the schedule, as they happen (for tests that await them) */
    List<Outage> outages() {
        return List.copyOf(outages);
    }

    /** @return the schedule it carries out */
    ChaosSchedule schedule() {
        return schedule;
    }

    /** @param runStartNanos when the measured run started (System.nanoTime); step times count from it */
    void start(long runStartNanos) {
        this.runStart = runStartNanos;
        actions = new Thread(this::act, "simulator-chaos");
        prober = new Thread(this::probe, "simulator-chaos-prober");
        actions.setDaemon(true);
        prober.setDaemon(true);
        actions.start();
        prober.start();
    }

    private void act() {
        List<ChaosStep> steps = schedule.steps();
        try {
            for (int i = 0; i < steps.size() && !stopped; i++) {
                ChaosStep step = steps.get(i);
                long due = runStart + step.at().toNanos();
                long remaining;
                while (!stopped && (remaining = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(remaining);
                }
                if (!stopped) {
                    carryOut(step, byStep.get(i));
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void carryOut(ChaosStep step, Outage outage) {
        long issued = System.nanoTime();
        if (step.action().takesDown()) {
            outage.downAt = issued;
        } else {
            outage.restarting(issued);
        }
        announce(step, "...", issued);
        faults.apply(step.action());
        long done = System.nanoTime();
        if (!step.action().takesDown()) {
            outage.upAt = done;
        }
        announce(step, String.format(Locale.ROOT, "done in %.0f ms", (done - issued) / 1e6), done);
    }

    private void announce(ChaosStep step, String what, long nanos) {
        out.printf(
                Locale.ROOT,
                "chaos %.1f s: %s %s%n",
                (nanos - runStart) / 1e9,
                step.action().key(),
                what);
    }

    private void probe() {
        while (!stopped) {
            long now = System.nanoTime();
            boolean pending = false;
            for (Outage outage : outages) {
                pending |= !outage.probe(now);
            }
            if (!pending && actionsDone()) {
                return;
            }
            LockSupport.parkNanos(PROBE_NANOS);
        }
    }

    private boolean actionsDone() {
        return !actions.isAlive();
    }

    /**
     * Stops the schedule (steps not yet due are not carried out) and the probing.
     *
     * @return the outages, with the moments they reached
     * @throws ChaosActionFailedException when an action failed (a server that did not come back)
     */
    List<Outage> finish() {
        stopped = true;
        LockSupport.unpark(actions);
        LockSupport.unpark(prober);
        try {
            actions.join();
            prober.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new ChaosActionFailedException(failure);
        }
        for (Outage outage : outages) {
            if (outage.downAt != Outage.NOT_YET && outage.restartAt == Outage.NOT_YET) {
                carryOut(outage.start, outage); // the run ended first: leave no server down
            }
        }
        return List.copyOf(outages);
    }
}
