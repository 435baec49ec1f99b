package dev.rollgate.operator.api;

/** When the kubelet pulls the app container's image (the Kubernetes values). */
public enum ImagePullPolicy {
    /** Pull on every container start. */
    Always,
    /** Pull only when the node does not have the image; what Rollgate sets for a digest-pinned image. */
    IfNotPresent,
    /** Never pull; the image must already be on the node. */
    Never
}
