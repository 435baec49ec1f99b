package dev.rollgate.operator.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference as Rollgate accepts it in {@code spec.image}, parsed once: registry,
 * repository, tag, digest. The one place that reads image strings; everything else asks it.
 *
 * <p>It lives in a package of its own because three layers need it and none owns it: the CRD
 * types ({@code api}: the admission rule is built from {@link #REGEX}), the pure rollout logic
 * ({@code rollout}: digests of the known-good image) and the rendering of the owned objects
 * ({@code reconciler}: the version label and the pull policy). It depends on nothing.
 *
 * <p>The grammar is Docker's reference grammar narrowed to lowercase repositories and sha256
 * digests, exactly {@link #REGEX}; {@code parse} accepts a string if and only if the CRD's CEL
 * rule does ({@code ImageReferenceTest} runs the same table through both). Examples:
 * <pre>
 *   clinic                                        docker.io, repository clinic (= docker.io/library/clinic)
 *   localhost:5000/clinic:1.2                     registry localhost:5000, tag 1.2
 *   registry.example.com:443/team/app@sha256:…    registry with port, nested path, digest
 *   clinic:1.2@sha256:…                           tag and digest (the digest decides what runs)
 * </pre>
 * Which part is the registry follows Docker: the first path segment is a registry host when it
 * contains a dot or a colon or is {@code localhost}; otherwise the image is on Docker Hub. A
 * colon after the last slash starts the tag, so {@code clinic:5000} is the tag 5000, not a port.
 * Length limits are the CRD's {@code @Size} on spec.image, not this grammar's.
 */
public final class ImageReference {

    /** One lowercase path component, e.g. {@code clinic} or {@code my-app.v2}. */
    private static final String COMPONENT = "[a-z0-9]+([._-][a-z0-9]+)*";

    private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final String DIGEST = "sha256:[a-f0-9]{64}";

    /**
     * The whole grammar as one regular expression, valid both in Java and in CEL's RE2 (no
     * backreferences, no lookaround, no quote or backslash, so it embeds verbatim in a CEL string).
     * A port needs a path after it: {@code clinic:1:2} is no reference (the rule before this class
     * accepted it, reading {@code :1} as a port of a registry without a repository).
     */
    public static final String REGEX = "^" + COMPONENT + "((:[0-9]+)?/" + COMPONENT + ")?(/" + COMPONENT + ")*" + "(:"
            + TAG + ")?(@" + DIGEST + ")?$";

    /** The value Kubernetes' version label gets for a reference pinned by digest. */
    public static final String DIGEST_VERSION = "digest";
    /** The tag an untagged reference means. */
    public static final String DEFAULT_TAG = "latest";
    /** What container runtimes put before a repository digest in {@code containerStatuses[].imageID}. */
    static final String DOCKER_PULLABLE = "docker-pullable://";

    private static final Pattern VALID = Pattern.compile(REGEX);
    private static final Pattern VALID_DIGEST = Pattern.compile("^" + DIGEST + "$");
    private static final String DOCKER_HUB = "docker.io";
    private static final int LABEL_MAX = 63;

    private final String registry;
    private final String repository;
    /** The repository less its registry host: {@code team/app}, {@code postgres}. */
    private final String path;

    private final String tag;
    private final String digest;

    private ImageReference(String registry, String repository, String path, String tag, String digest) {
        this.registry = registry;
        this.repository = repository;
        this.path = path;
        this.tag = tag;
        this.digest = digest;
    }

    /** Parses a reference; throws {@link IllegalArgumentException} when the CRD's rule would reject it. */
    public static ImageReference parse(String image) {
        return tryParse(image)
                .orElseThrow(() -> new IllegalArgumentException(
                        "not a container image reference Rollgate accepts (" + REGEX + "): " + image));
    }

    /** Parses a reference, or empty when the CRD's rule would reject it (null included). */
    public static Optional<ImageReference> tryParse(String image) {
        if (image == null || !VALID.matcher(image).matches()) {
            return Optional.empty();
        }
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String host = hostOf(rest);
        String registry = host == null || host.equals("index.docker.io") ? DOCKER_HUB : host;
        String path = host == null ? rest : rest.substring(host.length() + 1);
        return Optional.of(new ImageReference(registry, rest, path, tag, digest));
    }

    /**
     * A repository digest as a container runtime reports it in {@code containerStatuses[].imageID}:
     * {@code <repository>@sha256:<64 hex>}, optionally prefixed {@code docker-pullable://}. Anything
     * else is empty, in particular a bare {@code sha256:<id>} (the id of the image's config, which
     * containerd reports for images it has no repository digest for: it cannot be pulled by), a
     * tag, or KWOK's {@code kwok://<image>}.
     */
    public static Optional<ImageReference> fromImageId(String imageId) {
        if (imageId == null) {
            return Optional.empty();
        }
        String id = imageId.startsWith(DOCKER_PULLABLE) ? imageId.substring(DOCKER_PULLABLE.length()) : imageId;
        return tryParse(id).filter(r -> r.digest != null && r.tag == null);
    }

    /** Whether {@code imageId} is a repository digest, see {@link #fromImageId}. */
    public static boolean isRepositoryDigest(String imageId) {
        return fromImageId(imageId).isPresent();
    }

    /**
     * {@code image} pinned to {@code digest} as Rollgate rolls it, the tag kept for people to read:
     * {@code clinic:2.0@sha256:…}. (Unlike {@link #withDigest}, which names the repository only.)
     */
    public static String pin(String image, String digest) {
        return image + "@" + digest;
    }

    /**
     * Whether {@code target} is {@code image} (itself not pinned) pinned to a digest, as {@link #pin}
     * writes it: {@code clinic:2.0@sha256:…} is {@code clinic:2.0} pinned; {@code clinic:2.0} and
     * {@code clinic:2.0@latest} are not.
     */
    public static boolean isPinnedForm(String target, String image) {
        return !image.contains("@") && target.startsWith(image + "@") && isDigest(target.substring(image.length() + 1));
    }

    /** Whether {@code digest} is a well-formed {@code sha256:<64 lowercase hex>}. */
    public static boolean isDigest(String digest) {
        return digest != null && VALID_DIGEST.matcher(digest).matches();
    }

    /** The registry host, with its port when given; {@code docker.io} for Docker Hub images. */
    public String registry() {
        return registry;
    }

    /** The repository as written, without tag or digest: {@code postgres}, {@code localhost:5000/clinic}. */
    public String repository() {
        return repository;
    }

    /**
     * The repository fully qualified, as runtimes report it: {@code postgres} is
     * {@code docker.io/library/postgres}. Two references name the same repository when these agree.
     */
    public String canonicalRepository() {
        boolean official = DOCKER_HUB.equals(registry) && path.indexOf('/') < 0;
        return registry + "/" + (official ? "library/" + path : path);
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    /** The digest, {@code sha256:<64 hex>}, when the reference carries one. */
    public Optional<String> digest() {
        return Optional.ofNullable(digest);
    }

    /** Pinned: the digest names the exact bits; a tag can be moved to others. */
    public boolean isDigestPinned() {
        return digest != null;
    }

    /**
     * This repository pinned to {@code digest}: {@code <repository>@<digest>}. The tag is dropped:
     * with a digest it would only be decoration, and a misleading one if it has moved since.
     */
    public ImageReference withDigest(String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return new ImageReference(registry, repository, path, null, digest);
    }

    /**
     * The value of the {@code app.kubernetes.io/version} label: the tag (also of a tag pinned to a
     * digest, {@code clinic:1.4@sha256:…}), {@code digest} for a reference with a digest and no
     * tag, {@code latest} for one with neither. A label value is at most 63 characters and must
     * begin and end with a letter or digit, which a tag need not: e.g. the tag {@code _rc-} gives
     * {@code rc}, a 128-character tag its first 63 characters less any trailing {@code .-_}.
     */
    public String labelSafeVersion() {
        if (tag == null && digest != null) {
            return DIGEST_VERSION;
        }
        String v = tag == null ? DEFAULT_TAG : tag;
        if (v.length() > LABEL_MAX) {
            v = v.substring(0, LABEL_MAX);
        }
        int start = 0;
        int end = v.length();
        while (start < end && !Character.isLetterOrDigit(v.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(v.charAt(end - 1))) {
            end--;
        }
        return v.substring(start, end);
    }

    /** The reference as written (or as {@link #withDigest} built it). */
    @Override
    public String toString() {
        return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** The first path segment when it names a registry host (Docker's rule), else null. */
    private static String hostOf(String repository) {
        int slash = repository.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String first = repository.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : null;
    }
}
