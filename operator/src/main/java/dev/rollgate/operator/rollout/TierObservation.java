package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.TierStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One tier's Deployment as observed, judged by kubectl's rollout-status rules.
 *
 * @param image the image of the Deployment's pod template (null when the Deployment is missing)
 * @param verdict where its rollout stands
 * @param counts replica counts from its status
 * @param deadlineExceededAt when the Deployment controller reported ProgressDeadlineExceeded, else null
 * @param readyImageIds what each ready pod of the current pod template reports as the app
 *     container's {@code imageID}, as reported ("" when it reports none); see {@link ReadyPodImages}
 * @param progress the Deployment's progress mark (see {@link DeploymentRolloutCheck#progressMark}),
 *     null while its controller has not observed its current generation (its counts are stale)
 */
public record TierObservation(
        String image,
        RolloutVerdict verdict,
        TierStatus counts,
        Instant deadlineExceededAt,
        List<String> readyImageIds,
        Integer progress) {

    public TierObservation {
        readyImageIds = List.copyOf(readyImageIds);
    }

    /** Without pods seen: no imageIDs; no progress mark. */
    public TierObservation(String image, RolloutVerdict verdict, TierStatus counts, Instant deadlineExceededAt) {
        this(image, verdict, counts, deadlineExceededAt, List.of(), null);
    }

    public static TierObservation missing() {
        return new TierObservation(null, RolloutVerdict.Missing, new TierStatus(), null);
    }

    /** The same Deployment, with what its ready pods report. */
    public TierObservation withReadyImageIds(List<String> ids) {
        return new TierObservation(image, verdict, counts, deadlineExceededAt, ids, progress);
    }

    /** The same Deployment, with its progress mark. */
    public TierObservation withProgress(Integer mark) {
        return new TierObservation(image, verdict, counts, deadlineExceededAt, readyImageIds, mark);
    }

    /** Complete, and on the given image. */
    public boolean completeOn(String expectedImage) {
        return verdict == RolloutVerdict.Complete && expectedImage.equals(image);
    }

    /**
     * The Deployment controller gave up on the rollout to the given image that began at
     * {@code started}, not on one before it. The one rule for a stale ProgressDeadlineExceeded: the
     * controller reports it no earlier than progressDeadlineSeconds (= {@code timeout}) after the
     * rollout began, so an older one is left over from what came before. E.g. a revert issued at
     * 12:00:39.2 right after the failed rollout's deadline still sees that rollout's condition
     * stamped 12:00:39 (timeout 300 s: genuine only from 12:05:38), and must not count it against
     * the revert. One second of slack for the second-precision timestamps.
     */
    public boolean deadlineExceededOn(String expectedImage, Instant started, Duration timeout) {
        Instant earliestGenuine = started.plus(timeout).minusSeconds(1);
        return verdict == RolloutVerdict.DeadlineExceeded
                && expectedImage.equals(image)
                && (deadlineExceededAt == null || !deadlineExceededAt.isBefore(earliestGenuine));
    }
}
