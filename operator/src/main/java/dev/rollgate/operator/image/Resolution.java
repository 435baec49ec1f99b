package dev.rollgate.operator.image;

/** What asking a registry for an image's digest gave. */
public sealed interface Resolution {

    /** The tag names these bits now: {@code sha256:<64 hex>}. */
    record Resolved(String digest) implements Resolution {
        public Resolved {
            if (!ImageReference.isDigest(digest)) {
                throw new IllegalArgumentException("not a sha256 digest: " + digest);
            }
        }
    }

    /**
     * No digest: {@code reason} is a condition reason (CamelCase) and {@code message} says what
     * happened in the registry's own words where it gave any, and what to change.
     */
    record Unresolved(String reason, String message) implements Resolution {}

    // reasons
    /** The registry did not answer, or answered 5xx / 429. Retried. */
    String REGISTRY_UNAVAILABLE = "RegistryUnavailable";
    /** The registry (or its token service) refused the credentials, or there were none. */
    String REGISTRY_UNAUTHORIZED = "RegistryUnauthorized";
    /** The registry has no manifest for the tag. */
    String IMAGE_NOT_FOUND = "ImageNotFound";
    /** The registry answered with something that is not an image manifest or index Rollgate can pin. */
    String UNSUPPORTED_MANIFEST = "UnsupportedManifest";
    /** A Secret of spec.imagePullSecrets could not be read (missing, forbidden, not a docker config). */
    String PULL_SECRET_UNREADABLE = "PullSecretUnreadable";
}
