package dev.rollgate.operator.it;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Times;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The status as an operator killed at a crash point left it, written by hand (with
 * {@code editStatus}) because the real crash window is too short to hit reliably. Each one is what
 * the operator records <em>before</em> it patches a Deployment, so a new process must finish the
 * work from it alone.
 */
final class StatusFixture {
    private StatusFixture() {}

    /** Killed after recording the snapshot of {@code good} and the target {@code next}, before patching anything. */
    static UnaryOperator<ApiDeployment> snapshotRecorded(String good, String next) {
        return cr -> {
            ApiDeploymentStatus st = cr.getStatus();
            st.lastKnownGood = new LastKnownGood(good, null, Times.format(Instant.now()));
            st.targetImage = next;
            st.rolloutStartedAt = Times.format(Instant.now());
            st.phase = Phase.Progressing;
            return cr;
        };
    }

    /** Killed right after recording a revert of {@code failed} (for {@code reason}) to {@code good}. */
    static UnaryOperator<ApiDeployment> revertRecorded(String failed, String reason, String good) {
        return cr -> {
            ApiDeploymentStatus st = cr.getStatus();
            st.failedImage = new FailedImage();
            st.failedImage.image = failed;
            st.failedImage.reason = reason;
            st.failedImage.at = Times.format(Instant.now());
            st.failedImage.generation = cr.getMetadata().getGeneration();
            st.targetImage = good;
            st.revertStartedAt = Times.format(Instant.now());
            st.phase = Phase.RollingBack;
            return cr;
        };
    }
}
