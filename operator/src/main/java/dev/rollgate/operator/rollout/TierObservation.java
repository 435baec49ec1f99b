package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.TierStatus;
import java.time.Instant;

/**
 * One tier's Deployment as observed, judged by kubectl's rollout-status rules.
 *
 * @param image the image of the Deployment's pod template (null when the Deployment is missing)
 * @param verdict where its rollout stands
 * @param counts replica counts from its status
 * @param deadlineExceededAt when the Deployment controller reported ProgressDeadlineExceeded, else null
 */
public record TierObservation(String image, RolloutVerdict verdict, TierStatus counts, Instant deadlineExceededAt) {

  public static TierObservation missing() {
    return new TierObservation(null, RolloutVerdict.Missing, new TierStatus(), null);
  }

  /** Complete, and on the given image. */
  public boolean completeOn(String expectedImage) {
    return verdict == RolloutVerdict.Complete && expectedImage.equals(image);
  }

  /** The Deployment controller gave up on the given image's rollout at or after {@code since}. */
  public boolean deadlineExceededOn(String expectedImage, Instant since) {
    return verdict == RolloutVerdict.DeadlineExceeded && expectedImage.equals(image)
        && (deadlineExceededAt == null || since == null || !deadlineExceededAt.isBefore(since));
  }
}
