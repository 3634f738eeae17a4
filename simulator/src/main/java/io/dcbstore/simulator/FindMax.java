package io.dcbstore.simulator;

import com.zaxxer.hikari.HikariDataSource;
import io.dcbstore.library.LibraryQueries;
import io.dcbstore.postgres.PostgresEventStore;
import io.dcbstore.postgres.PostgresStoreConfig;
import io.dcbstore.simulator.load.Workload;
import io.dcbstore.simulator.report.OperationReport;
import io.dcbstore.simulator.report.ReportWriter;
import io.dcbstore.simulator.report.RunReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ramps the rate step by step to find the highest one the system sustains: p99 under the bound,
 * no timeouts, errors under 0.1%, and the achieved rate within 5% of the target. The rate grows
 * by half each step until a step fails, then two bisection steps narrow the gap.
 */
final class FindMax {
    private static final int BISECTIONS = 2;

    private final SimulationConfig config;
    private final MeasuredRun run;
    private final LibraryQueries queries;
    private final PrintStream out;

    FindMax(SimulationConfig config, PostgresEventStore store, HikariDataSource primaryPool, HikariDataSource replicaPool,
            PostgresStoreConfig storeConfig, Workload workload, PrintStream out) {
        this.config = config;
        this.run = new MeasuredRun(config, store, primaryPool, replicaPool, storeConfig, workload, out);
        this.queries = workload.queries();
        this.out = out;
    }

    RunReport run(boolean statements) {
        List<Map<String, Object>> steps = new ArrayList<>();
        RunReport best = null;
        RunReport last = null;
        double passed = 0;
        double failed = 0;
        double rate = config.rate();
        int bisections = 0;
        while (bisections <= BISECTIONS) {
            RunReport step = run.run(rate, config.duration(), statements, queries);
            last = step;
            String verdict = verdict(step);
            steps.add(stepSummary(step, verdict));
            out.printf(Locale.ROOT, "step at %.0f req/s: %s%n", rate, verdict.isEmpty() ? "sustained" : "not sustained (" + verdict + ")");
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
        return new RunReport(basis.startedAt(), basis.targetRate(), basis.achievedRate(), basis.durationSeconds(), basis.overall(),
                basis.operations(), basis.backpressureLateStarts(), basis.timeline(), basis.databaseTime(), basis.routing(),
                basis.snapshots(), basis.maxReplicationLagMs(), basis.environment(), steps, passed,
                basis.pacingDelayMs());
    }

    private String verdict(RunReport step) {
        OperationReport all = step.overall();
        List<String> reasons = new ArrayList<>();
        if (all.p99Ms() > config.maxP99().toMillis()) {
            reasons.add(String.format(Locale.ROOT, "p99 %.1f ms > %d ms", all.p99Ms(), config.maxP99().toMillis()));
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

    private static Map<String, Object> stepSummary(RunReport step, String verdict) {
        Map<String, Object> summary = ReportWriter.section();
        summary.put("target_rate", step.targetRate());
        summary.put("achieved_rate", Math.round(step.achievedRate() * 10) / 10.0);
        summary.put("p50_ms", step.overall().p50Ms());
        summary.put("p99_ms", step.overall().p99Ms());
        summary.put("errors", step.overall().errors());
        summary.put("timeouts", step.overall().timeouts());
        summary.put("sustained", verdict.isEmpty());
        summary.put("why_not", verdict);
        return summary;
    }
}
