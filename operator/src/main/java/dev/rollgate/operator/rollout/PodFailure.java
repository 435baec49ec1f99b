package dev.rollgate.operator.rollout;

/**
 * A pod of one of the tiers whose container is stuck in a state that no amount of waiting fixes
 * (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, InvalidImageName).
 *
 * @param pod the pod's name
 * @param image the image of the failing container
 * @param reason the container's waiting reason
 * @param message the container's waiting message, may be empty
 */
public record PodFailure(String pod, String image, String reason, String message) {}
