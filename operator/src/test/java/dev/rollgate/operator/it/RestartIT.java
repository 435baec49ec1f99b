package dev.rollgate.operator.it;

import static dev.rollgate.operator.it.Scenario.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Times;
import java.time.Duration;
import java.time.Instant;
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
      s.cr().editStatus(cr -> {
        ApiDeploymentStatus st = cr.getStatus();
        st.lastKnownGood = new LastKnownGood(image("1.0.0"), null, Times.format(Instant.now()));
        st.targetImage = image("2.0.0");
        st.rolloutStartedAt = Times.format(Instant.now());
        st.phase = Phase.Progressing;
        return cr;
      });
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
      s.create(image("1.0.0"), spec -> spec.rollout.minReadySeconds = 4);
      s.awaitAvailableOn(image("1.0.0"), Duration.ofSeconds(60));

      s.setImage(image("2.0.0"));
      s.await("gating v2", Duration.ofSeconds(30), st -> st.phase == Phase.Progressing
          && image("2.0.0").equals(st.targetImage) && image("2.0.0").equals(s.tierImage("worker")));
      operator.kill();
      operator = startAnotherOperator("restart-during-gate");

      ApiDeploymentStatus st = s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));
      s.assertBothTiersOn(image("2.0.0"));
      assertThat(st.lastKnownGood.image).isEqualTo(image("2.0.0"));
    }
  }

  @Test
  void killedDuringTheRevertItCompletesTheRevert() {
    try (Scenario s = scenario("during-revert")) {
      s.create(image("2.0.0"), spec -> spec.rollout.minReadySeconds = 4);
      s.awaitAvailableOn(image("2.0.0"), Duration.ofSeconds(60));

      s.setImage(image("3.0.0-crashloop"));
      s.awaitPhase(Phase.RollingBack, Duration.ofSeconds(60));
      operator.kill();
      operator = startAnotherOperator("restart-during-revert");

      ApiDeploymentStatus st = s.awaitPhase(Phase.RolledBack, Duration.ofSeconds(60));
      s.assertBothTiersOn(image("2.0.0"));
      assertThat(st.failedImage.image).isEqualTo(image("3.0.0-crashloop"));
    }
  }
}
