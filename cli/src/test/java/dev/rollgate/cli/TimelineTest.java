package dev.rollgate.cli;

import static dev.rollgate.cli.RolloutOutcomeTest.NEW;
import static dev.rollgate.cli.RolloutOutcomeTest.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lines of {@code status --watch}: one per change a person cares about, in the demo's style. */
class TimelineTest {

    /** A clock that moves only when told to. */
    static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-01-05T19:44:04Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void printsTimeElapsedPhaseReadyReasonAndMessageOnceForEachChange() {
        StepClock clock = new StepClock();
        Timeline timeline = new Timeline(clock);
        List<String> lines = new ArrayList<>();

        ApiDeploymentJson applied = ApiDeploymentJson.named("web", NEW)
                .generation(2)
                .observed("Available", OLD, "3/3")
                .observedGeneration(1)
                .condition("Ready", "True", "RolledOut", "all good");
        timeline.observe(applied.state()).ifPresent(lines::add);
        clock.advance(Duration.ofMillis(1200));
        ApiDeploymentJson rolling = ApiDeploymentJson.named("web", NEW)
                .generation(2)
                .observed("Progressing", OLD, "3/3")
                .target(NEW)
                .condition("Ready", "False", "RolloutInProgress", "rolling both tiers to " + NEW)
                .condition("Reconciling", "True", "RolloutInProgress", "1 of 2 new api pods\nready");
        timeline.observe(rolling.state()).ifPresent(lines::add);
        clock.advance(Duration.ofSeconds(1));
        timeline.observe(rolling.state()).ifPresent(lines::add); // the same again: no line
        clock.advance(Duration.ofMillis(8900));
        ApiDeploymentJson reverted = ApiDeploymentJson.named("web", NEW)
                .generation(2)
                .observed("RolledBack", OLD, "3/3")
                .condition("Ready", "False", "RolledBack", "both tiers run " + OLD + " again")
                .condition("Reconciling", "False", "RolledBack", "")
                .condition("Stalled", "True", "CrashLoopBackOff", "pod web-api-5d8 is in CrashLoopBackOff");
        timeline.observe(reverted.state()).ifPresent(lines::add);

        assertThat(lines)
                .containsExactly(
                        "19:44:04    +0.0s  Available              ready 3/3    waiting for the operator to observe generation 2",
                        "19:44:05    +1.2s  Progressing            ready 3/3    RolloutInProgress: 1 of 2 new api pods ready",
                        "19:44:15   +11.1s  RolledBack             ready 3/3    CrashLoopBackOff: pod web-api-5d8 is in CrashLoopBackOff");
    }

    @Test
    void explainsByStalledOrReconcilingWhenTrueElseByReadyElseByProgressing() {
        ApiDeploymentJson withoutKstatus = ApiDeploymentJson.named("web", NEW)
                .observed("Progressing", OLD, "3/3")
                .condition("Progressing", "True", "RolloutInProgress", "rolling");
        assertThat(Timeline.explain(withoutKstatus.state())).isEqualTo("RolloutInProgress: rolling");
        ApiDeploymentJson steady = ApiDeploymentJson.named("web", NEW)
                .observed("Available", NEW, "3/3")
                .condition("Progressing", "True", "RolloutSucceeded", "done")
                .condition("Stalled", "False", "AsExpected", "")
                .condition("Reconciling", "False", "AsExpected", "")
                .condition("Ready", "True", "RolledOut", "both tiers run " + NEW);
        assertThat(Timeline.explain(steady.state())).isEqualTo("RolledOut: both tiers run " + NEW);
        assertThat(Timeline.describe(ApiDeploymentJson.named("web", NEW)
                        .observedGeneration(1)
                        .state()))
                .isEqualTo("-                      ready -");
        assertThat(new Timeline(new StepClock()).observe(steady.state()))
                .isEqualTo(Optional.of(
                        "19:44:04    +0.0s  Available              ready 3/3    RolledOut: both tiers run " + NEW));
    }
}
