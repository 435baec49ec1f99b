package dev.rollgate.cli;

import static dev.rollgate.cli.RolloutOutcomeTest.NEW;
import static dev.rollgate.cli.RolloutOutcomeTest.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The last line of {@code status}: what a CI log shows as the result. */
class OutcomeSentenceTest {

    @Test
    void rolledOutNamesTheImage() {
        ApiDeploymentState state = ApiDeploymentJson.named("web", NEW)
                .observed("Available", NEW, "3/3")
                .condition("Ready", "True", "RolledOut", "")
                .state();
        assertThat(OutcomeSentence.of(state, RolloutOutcome.ROLLED_OUT))
                .isEqualTo("apideployment \"web\" rolled out on " + NEW);
    }

    @Test
    void rolledBackNamesTheImageBackInPlaceAndTheFailedImagesReasonAndMessage() {
        ApiDeploymentState state = ApiDeploymentJson.named("web", NEW)
                .observed("RolledBack", OLD, "3/3")
                .failedImage(NEW, "CrashLoopBackOff", "pod web-api-5d8 is in CrashLoopBackOff")
                .state();
        assertThat(OutcomeSentence.of(state, RolloutOutcome.of(state)))
                .isEqualTo("apideployment \"web\" rolled back to " + OLD
                        + ": CrashLoopBackOff: pod web-api-5d8 is in CrashLoopBackOff");
    }

    @Test
    void aFailedImageOfAnEarlierRolloutIsNotTheCauseTheStalledConditionIs() {
        ApiDeploymentState state = ApiDeploymentJson.named("web", NEW)
                .observed("RolledBack", OLD, "3/3")
                .failedImage("rollgate/clinic:0.9.0", "ImagePullBackOff", "old news")
                .condition("Stalled", "True", "Aborted", "the rollout was aborted")
                .state();
        assertThat(OutcomeSentence.of(state, RolloutOutcome.of(state)))
                .isEqualTo("apideployment \"web\" rolled back to " + OLD + ": Aborted: the rollout was aborted");
    }

    @Test
    void failedAndStalledSayWhichImageAndWhy() {
        ApiDeploymentState failed = ApiDeploymentJson.named("web", NEW)
                .observed("Failed", "", "0/3")
                .failedImage(NEW, "ErrImagePull", "no such tag")
                .state();
        assertThat(OutcomeSentence.of(failed, RolloutOutcome.of(failed)))
                .isEqualTo("apideployment \"web\" failed rolling out " + NEW + ": ErrImagePull: no such tag");
        ApiDeploymentState stalled = ApiDeploymentJson.named("web", NEW)
                .observed("Progressing", OLD, "3/3")
                .condition("Stalled", "True", "ApplyFailed", "forbidden")
                .state();
        assertThat(OutcomeSentence.of(stalled, RolloutOutcome.of(stalled)))
                .isEqualTo("apideployment \"web\" stalled in phase Progressing: ApplyFailed: forbidden");
    }

    @Test
    void inProgressSaysWhetherTheOperatorHasSeenTheNewSpec() {
        ApiDeploymentState notSeen = ApiDeploymentJson.named("web", NEW)
                .generation(5)
                .observed("Available", OLD, "3/3")
                .observedGeneration(4)
                .state();
        assertThat(OutcomeSentence.of(notSeen, RolloutOutcome.IN_PROGRESS))
                .isEqualTo("apideployment \"web\" rolling out " + NEW
                        + ": the operator has not yet observed generation 5");
        ApiDeploymentState rolling = ApiDeploymentJson.named("web", NEW)
                .observed("Progressing", OLD, "2/3")
                .state();
        assertThat(OutcomeSentence.timedOut(rolling, Duration.ofMinutes(10)))
                .isEqualTo("timed out after 10m waiting for apideployment \"web\" to roll out " + NEW
                        + " (phase Progressing, ready 2/3)");
    }
}
