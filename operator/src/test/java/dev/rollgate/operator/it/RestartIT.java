package dev.rollgate.operator.it;

import static dev.rollgate.operator.it.Scenario.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.Phase;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator is killed (SIGKILL) at each point of a rollout; a new process finishes it from
 * the ApiDeployment's status alone, since nothing else survives.
 */
class RestartIT extends OperatorTestBase {

    @BeforeAll
    static void startOperator() throws Exception {
        startSharedOperator("restart");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void killedRightAfterTheSnapshotItPatchesBothTiersOnRestart() {
        try (Scenario s = scenario("after-snapshot")) {
            s.create(image("1.0.0"), spec -> {});
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(60));

            // given the operator died after recording the snapshot and before patching anything:
            operator.kill();
            s.setImage(image("2.0.0"));
            s.cr().editStatus(StatusFixture.snapshotRecorded(image("1.0.0"), image("2.0.0")));
            s.assertBothTiersOn(image("1.0.0"));

            // when a new operator starts
            operator = startAnotherOperator("restart-after-snapshot");

            // then it finishes the rollout from status alone
            ApiDeploymentStatus st = s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));
            s.assertBothTiersOn(image("2.0.0"));
            assertThat(st.history).last().satisfies(h -> assertThat(h.image).isEqualTo(image("2.0.0")));
        }
    }

    @Test
    void killedDuringTheGateItCompletesTheRollout() {
        try (Scenario s = scenario("during-gate")) {
            s.create(image("1.0.0"), spec -> spec.rollout.minReadySeconds = 8);
            s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(60));

            s.setImage(image("2.0.0"));
            s.await(
                    "gating v2",
                    Duration.ofSeconds(30),
                    st -> st.phase == Phase.Progressing
                            && image("2.0.0").equals(st.targetImage)
                            && image("2.0.0").equals(s.tierImage("worker")));
            operator.kill();
            operator = startAnotherOperator("restart-during-gate");

            ApiDeploymentStatus st = s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));
            s.assertBothTiersOn(image("2.0.0"));
            assertThat(st.lastKnownGood.image).isEqualTo(image("2.0.0"));
        }
    }

    @Test
    void killedBetweenRecordingTheRevertAndPatchingItRevertsBothTiersOnRestart() {
        try (Scenario s = scenario("during-revert")) {
            // failFast off and a 60 s deadline keep the bad rollout in flight long enough to stop the
            // operator deterministically; a real revert finishes too fast to catch otherwise (the old
            // pods are still there), so the crash point is the one that matters most: the revert is
            // recorded in status, and no Deployment has been patched back yet.
            s.create(image("2.0.0"), spec -> {
                spec.rollout.failFast = false;
                spec.rollout.timeoutSeconds = 60;
            });
            s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));
            s.setImage(image("3.0.0-crashloop"));
            s.await(
                    "both tiers on v3",
                    Duration.ofSeconds(30),
                    st -> image("3.0.0-crashloop").equals(st.targetImage)
                            && image("3.0.0-crashloop").equals(s.tierImage("api"))
                            && image("3.0.0-crashloop").equals(s.tierImage("worker")));

            // given the operator died right after recording the revert
            operator.kill();
            s.cr().editStatus(
                            StatusFixture.revertRecorded(image("3.0.0-crashloop"), "CrashLoopBackOff", image("2.0.0")));
            s.assertBothTiersOn(image("3.0.0-crashloop"));

            // when a new operator starts, then it finishes the revert from status alone
            operator = startAnotherOperator("restart-during-revert");
            ApiDeploymentStatus st = s.awaitPhase(Phase.RolledBack, Duration.ofSeconds(60));
            s.assertBothTiersOn(image("2.0.0"));
            assertThat(st.failedImage.image).isEqualTo(image("3.0.0-crashloop"));
            assertThat(st.history)
                    .last()
                    .satisfies(h -> assertThat(h.result).isEqualTo(HistoryEntry.Result.RolledBack));
        }
    }
}
