package dev.rollgate.operator.owned;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A write of an owned object the API server (or the client) refused, in words naming the object.
 * Thrown inside {@link OwnedObjectsWriter} to stop at the first refusal; it never leaves it.
 */
final class Refused extends RuntimeException {
    final String object;
    final transient KubernetesClientException refusal;

    Refused(HasMetadata object, KubernetesClientException refusal) {
        super(describe(object, refusal), null, false, false);
        this.object = object.getKind() + " " + object.getMetadata().getName();
        this.refusal = refusal;
    }

    private static String describe(HasMetadata object, KubernetesClientException e) {
        var status = e.getStatus();
        String words = status != null
                        && status.getMessage() != null
                        && !status.getMessage().isBlank()
                ? status.getMessage()
                : e.getMessage();
        String code = e.getCode() > 0
                ? " (HTTP " + e.getCode()
                        + (status != null && status.getReason() != null ? " " + status.getReason() : "") + ")"
                : "";
        return "The API server refused " + object.getKind() + " "
                + object.getMetadata().getName() + code + ": " + words;
    }

    /** Whether the refusal says the namespace is being deleted: nothing can be created there any more. */
    boolean namespaceTerminating() {
        var status = refusal.getStatus();
        return refusal.getCode() == 403
                && status != null
                && status.getDetails() != null
                && status.getDetails().getCauses() != null
                && status.getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }
}
