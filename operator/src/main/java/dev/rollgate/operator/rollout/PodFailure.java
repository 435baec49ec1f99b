package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.POD_FAILURE_DETAIL;

/**
 * A pod of one of the tiers whose container is stuck in a state that no amount of waiting fixes
 * (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, InvalidImageName).
 *
 * @param pod the pod's name
 * @param image the image of the failing container
 * @param reason the container's waiting reason
 * @param message the container's waiting message, may be empty
 */
public record PodFailure(String pod, String image, String reason, String message) {

    /** What a failed rollout or Job says of this pod: {@link Reasons#POD_FAILURE_MESSAGE}. */
    public String describe() {
        String detail = message == null || message.isBlank() ? "" : Reasons.text(POD_FAILURE_DETAIL, message);
        return Reasons.text(Reasons.POD_FAILURE_MESSAGE, pod, reason, detail);
    }
}
