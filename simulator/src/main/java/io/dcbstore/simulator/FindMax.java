package io.dcbstore.simulator;

import io.dcbstore.simulator.report.CpuReport;
import io.dcbstore.simulator.report.Figures;
import io.dcbstore.simulator.report.FindMaxReport;
import io.dcbstore.simulator.report.FindMaxStep;
import io.dcbstore.simulator.report.RunReport;
import io.dcbstore.simulator.report.Steadiness;
import io.dcbstore.simulator.report.TimelinePoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ramps the rate step by step to find the highest one the system sustains: p99 under the bound,
 * no timeouts, errors under 0.1%, and the achieved rate within 5% of the target. The rate grows
 * by half each step until a step fails, then two bisection steps narrow the gap.
 */
final class FindMax {
    private static final int BISECTIONS = 2;

    /** Runs one step: the load at one rate for one step's length. */
    interface Step {
        /**
         * @param rate the step's rate
         * @param duration the step's length
         * @return the step's report
         */
        RunReport run(double rate, Duration duration);
    }

    private final Step run;
    private final RunSetup setup;

    FindMax(RunSetup setup) {
        this(setup, new MeasuredRun(setup)::run);
    }

    /**
     * @param setup the settings (the starting rate, each step's length, the p99 bound) and where to print
     * @param run runs each step
     */
    FindMax(RunSetup setup, Step run) {
        this.setup = setup;
        this.run = run;
    }

    /** @return the report of the best step (or of the last, when none was sustained), with every step */
    RunReport run() {
        List<FindMaxStep> steps = new ArrayList<>();
        List<TimelinePoint> allSteps = new ArrayList<>();
        RunReport best = null;
        RunReport last = null;
        double passed = 0;
        double failed = 0;
        double rate = setup.config().rate();
        int bisections = 0;
        while (bisections <= BISECTIONS) {
            RunReport step = run.run(rate, setup.config().duration());
            last = step;
            String verdict = verdict(step);
            int fromS =
                    allSteps.isEmpty() ? 0 : allSteps.get(allSteps.size() - 1).second();
            step.timeline().forEach(point -> allSteps.add(point.shiftedBy(fromS)));
            int toS = allSteps.isEmpty()
                    ? fromS
                    : allSteps.get(allSteps.size() - 1).second();
            steps.add(stepSummary(step, verdict, fromS, toS));
            setup.out()
                    .printf(
                            Locale.ROOT,
                            "step at %.0f req/s: %s%n",
                            rate,
                            verdict.isEmpty() ? "sustained" : "not sustained (" + verdict + ")");
            if (verdict.isEmpty()) {
                passed = rate;
                best = step;
            } else {
                failed = rate;
            }
            if (failed == 0) {
                rate = rate * 1.5;
            } else {
                if (passed == 0) {
                    rate = rate / 2;
                    if (rate < 1) {
                        break;
                    }
                    continue;
                }
                bisections++;
                rate = Math.round((passed + failed) / 2);
                if (rate <= passed || rate >= failed) {
                    break;
                }
            }
        }
        RunReport basis = best != null ? best : last;
        return basis.withFindMax(new FindMaxReport(passed, steps), allSteps);
    }

    private String verdict(RunReport step) {
        Figures all = step.overall();
        List<String> reasons = new ArrayList<>();
        if (all.p99Ms() > setup.config().maxP99().toMillis()) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "p99 %.1f ms > %d ms",
                    all.p99Ms(),
                    setup.config().maxP99().toMillis()));
        }
        if (all.timeouts() > 0 || all.shed() > 0) {
            reasons.add(all.timeouts() + " timeouts, " + all.shed() + " shed");
        }
        if (all.errors() > all.requests() / 1000.0) {
            reasons.add(all.errors() + " errors (over 0.1%)");
        }
        if (step.achievedRate() < step.targetRate() * 0.95) {
            reasons.add(String.format(Locale.ROOT, "achieved only %.0f req/s", step.achievedRate()));
        }
        return String.join(", ", reasons);
    }

    /**
     * A step's figures; its windows are its own (each step is a run at one rate).
     *
     * @param step the step's report
     * @param verdict the bounds it missed, or empty
     * @param fromS where it starts in the timeline of all steps
     * @param toS where it ends
     */
    static FindMaxStep stepSummary(RunReport step, String verdict, int fromS, int toS) {
        Figures all = step.overall();
        Steadiness windows = step.steadiness();
        CpuReport cpu = step.cpu();
        return new FindMaxStep(
                step.targetRate(),
                Math.round(step.achievedRate() * 10) / 10.0,
                all.p50Ms(),
                all.p99Ms(),
                all.errors(),
                all.timeouts(),
                verdict.isEmpty(),
                verdict,
                windows == null ? 0 : hundredths(windows.medianP99Ms()),
                windows == null ? 0 : hundredths(windows.worstP99Ms()),
                windows == null ? 0 : hundredths(windows.worstRatio()),
                cpu == null ? null : wholeMicros(cpu.usPerRequest("jvm")),
                cpu == null ? null : wholeMicros(cpu.usPerRequest("primary")),
                cpu == null ? null : wholeMicros(cpu.usPerRequest("replica")),
                fromS,
                toS);
    }

    private static double hundredths(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static Double wholeMicros(Double micros) {
        return micros == null ? null : (double) Math.round(micros);
    }
}
