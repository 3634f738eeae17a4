package io.dcbstore.simulator.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosScheduleTest {

    @Test
    void aScheduleListsItsActionsInOrderWithTheirTimes() {
        ChaosSchedule schedule =
                ChaosSchedule.parse("stop-replica@30s, start-replica@50, kill-primary@90.5s,start-primary@100s");

        assertThat(schedule.steps())
                .containsExactly(
                        new ChaosStep(ChaosAction.STOP_REPLICA, Duration.ofSeconds(30)),
                        new ChaosStep(ChaosAction.START_REPLICA, Duration.ofSeconds(50)),
                        new ChaosStep(ChaosAction.KILL_PRIMARY, Duration.ofMillis(90_500)),
                        new ChaosStep(ChaosAction.START_PRIMARY, Duration.ofSeconds(100)));
        assertThat(schedule).hasToString("stop-replica@30s,start-replica@50s,kill-primary@90.5s,start-primary@100s");
        assertThat(ChaosSchedule.parse(schedule.toString())).isEqualTo(schedule);
        assertThat(schedule.problemFor(Duration.ofSeconds(180))).isNull();
    }

    @Test
    void theDefaultFor180SecondsStopsTheReplicaAt30AndKillsThePrimaryAt90AndScalesWithTheRun() {
        assertThat(ChaosSchedule.defaultFor(Duration.ofSeconds(180)))
                .hasToString("stop-replica@30s,start-replica@50s,kill-primary@90s,start-primary@100s");
        assertThat(ChaosSchedule.defaultFor(Duration.ofSeconds(18)))
                .hasToString("stop-replica@3s,start-replica@5s,kill-primary@9s,start-primary@10s");
        assertThat(ChaosSchedule.defaultFor(Duration.ofSeconds(18)).problemFor(Duration.ofSeconds(18)))
                .isNull();
    }

    @Test
    void unknownActionsAndTimesThatAreNotSecondsAreAllReportedTogether() {
        assertThatThrownBy(() -> ChaosSchedule.parse("reboot-replica@3s,kill-primary@soon,start-primary"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown chaos action 'reboot-replica'")
                .hasMessageContaining("'soon' is not a number of seconds")
                .hasMessageContaining("'start-primary' is not action@seconds");
        assertThatThrownBy(() -> ChaosSchedule.parse("kill-primary@-1s,start-primary@2s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or more");
    }

    @Test
    void aServerMustBeDownBeforeItIsStartedAndStartedAgainBeforeTheEnd() {
        assertThatThrownBy(() -> ChaosSchedule.parse("start-replica@3s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start-replica@3s: the replica is not down");
        assertThatThrownBy(() -> ChaosSchedule.parse("kill-primary@3s,kill-primary@4s,start-primary@5s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the primary is already down");
        assertThatThrownBy(() -> ChaosSchedule.parse("stop-replica@3s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stop-replica@3s is never followed by a start");
    }

    @Test
    void stepsMustBeInTimeOrderAndWithinTheRun() {
        assertThatThrownBy(() -> ChaosSchedule.parse("kill-primary@10s,start-primary@5s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start-primary@5s comes before the step ahead of it");
        assertThat(ChaosSchedule.parse("kill-primary@10s,start-primary@60s").problemFor(Duration.ofSeconds(60)))
                .contains("not within the 60 s run");
    }
}
