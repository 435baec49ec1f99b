package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.RolloutDeciderTable.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.Phase;
import org.junit.jupiter.api.Test;

/** What the decider keeps beyond one table row: failure bookkeeping, history, condition conventions. */
class RolloutDeciderTest {

    final RolloutDecider decider = new RolloutDecider();

    @Test
    void failureRecordsGenerationAndRetryTokenSoThatOnlyAChangeRetries() {
        World w = World.spec(V2)
                .with(x -> x.retryToken = "a")
                .status(Phase.Progressing, V1, V2, V1)
                .tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP);
        Decision d = decider.decide(w.input());
        assertThat(d.status().failedImage.generation).isEqualTo(GEN);
        assertThat(d.status().failedImage.retryToken).isEqualTo("a");
    }

    @Test
    void historyKeepsTheLastTen() {
        World w = World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete);
        for (int i = 0; i < 12; i++) {
            w.status.history.add(new HistoryEntry("img:" + i, Result.Succeeded, null, null, null));
        }
        Decision d = decider.decide(w.input());
        assertThat(d.status().history).hasSize(RolloutDecider.HISTORY_LIMIT);
        assertThat(d.status().history.get(9).image).isEqualTo(V2);
    }

    @Test
    void conditionsFollowTheApiConventions() {
        World w = World.spec(V2)
                .status(Phase.Progressing, V1, V2, V1)
                .tiers(V2, RolloutVerdict.InProgress)
                .podFailure(V2, Reasons.CRASH_LOOP)
                .dependency(true);
        ApiDeploymentStatus s = decider.decide(w.input()).status();
        var degraded = Conditions.find(s.conditions, Reasons.DEGRADED);
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo(Reasons.CRASH_LOOP);
        assertThat(degraded.getObservedGeneration()).isEqualTo(GEN);
        assertThat(degraded.getLastTransitionTime()).isEqualTo(Times.format(NOW));
        assertThat(Conditions.find(s.conditions, Reasons.PROGRESSING).getReason())
                .isEqualTo(Reasons.REVERT_IN_PROGRESS);
        assertThat(Conditions.isTrue(s.conditions, Reasons.DEPENDENCIES_READY)).isTrue();

        // a later look with a new message but the same status keeps lastTransitionTime
        World later = World.spec(V2).with(x -> x.now = NOW.plusSeconds(30));
        later.status = s;
        later.tiers(V1, RolloutVerdict.InProgress).dependency(true);
        ApiDeploymentStatus s2 = decider.decide(later.input()).status();
        assertThat(Conditions.find(s2.conditions, Reasons.DEGRADED).getLastTransitionTime())
                .isEqualTo(Times.format(NOW));
    }
}
