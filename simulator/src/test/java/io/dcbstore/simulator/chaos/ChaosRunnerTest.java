package io.dcbstore.simulator.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ChaosRunnerTest {
    private final List<ChaosAction> done = new CopyOnWriteArrayList<>();
    private final AtomicLong primarySuccesses = new AtomicLong();
    private final AtomicLong replicaSuccesses = new AtomicLong();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private ChaosRunner runner(String schedule, ClusterFaults faults) {
        return new ChaosRunner(
                ChaosSchedule.parse(schedule),
                faults,
                Map.of(
                        ChaosAction.Server.PRIMARY,
                        primarySuccesses::get,
                        ChaosAction.Server.REPLICA,
                        replicaSuccesses::get),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Test
    void theStepsRunInOrderAtTheirTimesAndAnOutageRecoversAtTheFirstSuccessAfterTheRestart() {
        ChaosRunner runner = runner("kill-primary@0.02s,start-primary@0.05s", done::add);
        long start = System.nanoTime();
        runner.start(start);
        Outage outage = runner.outages().get(0);
        await(() -> outage.upAt != Outage.NOT_YET);
        long beforeSuccess = System.nanoTime();
        primarySuccesses.incrementAndGet();
        await(() -> outage.recoveredAt != Outage.NOT_YET);

        List<Outage> outages = runner.finish();

        assertThat(done).containsExactly(ChaosAction.KILL_PRIMARY, ChaosAction.START_PRIMARY);
        assertThat(outages).containsExactly(outage);
        assertThat(outage.downAt - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(outage.restartAt - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(outage.upAt).isGreaterThanOrEqualTo(outage.restartAt);
        assertThat(outage.recoveredAt).isGreaterThanOrEqualTo(beforeSuccess);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("kill-primary done", "start-primary done");
    }

    @Test
    void aServerStillDownWhenTheRunEndsIsStartedAgainAndItsOutageHasNoRecovery() {
        ChaosRunner runner = runner("stop-replica@0s,start-replica@3600s", done::add);
        runner.start(System.nanoTime());
        await(() -> !done.isEmpty());

        List<Outage> outages = runner.finish();

        assertThat(done).containsExactly(ChaosAction.STOP_REPLICA, ChaosAction.START_REPLICA);
        assertThat(outages.get(0).recoveredAt).isEqualTo(Outage.NOT_YET);
    }

    @Test
    void anActionThatFailsVoidsTheRunWithATypedError() {
        ChaosRunner runner = runner("kill-primary@0s,start-primary@0s", action -> {
            done.add(action);
            if (action == ChaosAction.START_PRIMARY) {
                throw new IllegalStateException("postgres did not accept connections");
            }
        });
        runner.start(System.nanoTime());
        await(() -> done.size() == 2);

        assertThatThrownBy(runner::finish)
                .isInstanceOf(ChaosActionFailedException.class)
                .hasMessageContaining("postgres did not accept connections");
    }

    /** Polls a state the runner's threads reach, every millisecond, for at most 10 s. */
    private static void await(BooleanSupplier state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!state.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        assertThat(state.getAsBoolean()).as("reached within 10 s").isTrue();
    }
}
