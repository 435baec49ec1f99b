package dev.rollgate.operator.image;

import java.util.stream.Stream;

/**
 * Image references, one row per kind, and what {@link ImageReference#parse} must make of each:
 * the one table that both {@code ImageReferenceTest} (parse, and the CEL rule's regex in Java) and
 * {@code ImageRuleAdmissionIT} (the same rule evaluated by a real API server at admission) read,
 * so that the operator and admission cannot disagree on a case one of them was never shown.
 */
public final class ImageReferenceCases {
    private ImageReferenceCases() {}

    public static final String D = "sha256:" + "0123456789abcdef".repeat(4);
    public static final String D2 = "sha256:" + "fedcba9876543210".repeat(4);
    public static final String TAG_128 = "v" + "1234567890".repeat(12) + "abcdefg";
    private static final String NONE = null;

    /** A reference and what parse must make of it; registry == null means parse rejects it. */
    public record Row(
            String why,
            String image,
            String registry,
            String repository,
            String tag,
            String digest,
            String version,
            String canonical) {
        static Row valid(
                String why,
                String image,
                String registry,
                String repository,
                String tag,
                String digest,
                String version,
                String canonical) {
            return new Row(why, image, registry, repository, tag, digest, version, canonical);
        }

        static Row invalid(String why, String image) {
            return new Row(why, image, null, null, null, null, null, null);
        }

        public boolean accepted() {
            return registry != null;
        }

        @Override
        public String toString() {
            return why + ": " + image;
        }
    }

    public static Stream<Row> references() {
        return Stream.of(
                Row.valid(
                        "library image alone",
                        "clinic",
                        "docker.io",
                        "clinic",
                        NONE,
                        NONE,
                        "latest",
                        "docker.io/library/clinic"),
                Row.valid(
                        "library image, official",
                        "postgres",
                        "docker.io",
                        "postgres",
                        NONE,
                        NONE,
                        "latest",
                        "docker.io/library/postgres"),
                Row.valid(
                        "library image with tag",
                        "clinic:1.4.2",
                        "docker.io",
                        "clinic",
                        "1.4.2",
                        NONE,
                        "1.4.2",
                        "docker.io/library/clinic"),
                Row.valid(
                        "Docker Hub user repository",
                        "team/app:v1",
                        "docker.io",
                        "team/app",
                        "v1",
                        NONE,
                        "v1",
                        "docker.io/team/app"),
                Row.valid(
                        "Docker Hub spelled out",
                        "docker.io/library/clinic:1",
                        "docker.io",
                        "docker.io/library/clinic",
                        "1",
                        NONE,
                        "1",
                        "docker.io/library/clinic"),
                Row.valid(
                        "Docker Hub's old host",
                        "index.docker.io/clinic:1",
                        "docker.io",
                        "index.docker.io/clinic",
                        "1",
                        NONE,
                        "1",
                        "docker.io/library/clinic"),
                Row.valid(
                        "registry host with a dot",
                        "registry.example.com/clinic:1.4.2",
                        "registry.example.com",
                        "registry.example.com/clinic",
                        "1.4.2",
                        NONE,
                        "1.4.2",
                        "registry.example.com/clinic"),
                Row.valid(
                        "registry with port and tag",
                        "localhost:5000/clinic:1.2",
                        "localhost:5000",
                        "localhost:5000/clinic",
                        "1.2",
                        NONE,
                        "1.2",
                        "localhost:5000/clinic"),
                Row.valid(
                        "localhost without port",
                        "localhost/clinic",
                        "localhost",
                        "localhost/clinic",
                        NONE,
                        NONE,
                        "latest",
                        "localhost/clinic"),
                Row.valid(
                        "a colon without a slash is a tag, not a port",
                        "clinic:5000",
                        "docker.io",
                        "clinic",
                        "5000",
                        NONE,
                        "5000",
                        "docker.io/library/clinic"),
                Row.valid(
                        "host:port alone is a repository and a tag",
                        "localhost:5000",
                        "docker.io",
                        "localhost",
                        "5000",
                        NONE,
                        "5000",
                        "docker.io/library/localhost"),
                Row.valid(
                        "nested path",
                        "ghcr.io/org/sub/app:1.0-rc.1",
                        "ghcr.io",
                        "ghcr.io/org/sub/app",
                        "1.0-rc.1",
                        NONE,
                        "1.0-rc.1",
                        "ghcr.io/org/sub/app"),
                Row.valid(
                        "separators inside components",
                        "my-registry.example.com/my_team/app.v2-x:1",
                        "my-registry.example.com",
                        "my-registry.example.com/my_team/app.v2-x",
                        "1",
                        NONE,
                        "1",
                        "my-registry.example.com/my_team/app.v2-x"),
                Row.valid(
                        "digest", "clinic@" + D, "docker.io", "clinic", NONE, D, "digest", "docker.io/library/clinic"),
                Row.valid(
                        "registry with port, nested path, digest",
                        "registry.example.com:443/team/app@" + D,
                        "registry.example.com:443",
                        "registry.example.com:443/team/app",
                        NONE,
                        D,
                        "digest",
                        "registry.example.com:443/team/app"),
                Row.valid(
                        "tag and digest",
                        "registry.example.com/clinic:1.4.2@" + D,
                        "registry.example.com",
                        "registry.example.com/clinic",
                        "1.4.2",
                        D,
                        "1.4.2",
                        "registry.example.com/clinic"),
                Row.valid(
                        "uppercase and underscore in a tag are fine",
                        "clinic:V1_RC",
                        "docker.io",
                        "clinic",
                        "V1_RC",
                        NONE,
                        "V1_RC",
                        "docker.io/library/clinic"),
                Row.valid(
                        "a tag that is no label value is trimmed",
                        "clinic:_rc-",
                        "docker.io",
                        "clinic",
                        "_rc-",
                        NONE,
                        "rc",
                        "docker.io/library/clinic"),
                Row.valid(
                        "a 128-character tag gives a 63-character label",
                        "clinic:" + TAG_128,
                        "docker.io",
                        "clinic",
                        TAG_128,
                        NONE,
                        TAG_128.substring(0, 63),
                        "docker.io/library/clinic"),
                Row.valid(
                        "a bare config id reads as repository sha256 with a tag",
                        D,
                        "docker.io",
                        "sha256",
                        D.substring(7),
                        NONE,
                        D.substring(7, 70),
                        "docker.io/library/sha256"),
                Row.invalid("empty", ""),
                Row.invalid("uppercase repository", "Clinic:1"),
                Row.invalid("uppercase registry host", "Registry.example.com/clinic:1"),
                Row.invalid("uppercase path", "registry.example.com/Team/app:1"),
                Row.invalid("empty tag", "clinic:"),
                Row.invalid("tag starting with a dash", "clinic:-1"),
                Row.invalid("tag of 129 characters", "clinic:" + TAG_128 + "x"),
                Row.invalid("two tags, or a port with no repository after it", "clinic:1:2"),
                Row.invalid("a port with no repository after it, and a digest", "localhost:5000:1@" + D),
                Row.invalid("a port anywhere but the host", "registry.example.com/team:1/app"),
                Row.invalid("short digest", "clinic@sha256:abc"),
                Row.invalid("uppercase digest", "clinic@" + D.toUpperCase()),
                Row.invalid("another algorithm", "clinic@sha512:" + "ab".repeat(64)),
                Row.invalid("empty digest", "clinic@"),
                Row.invalid("leading slash", "/clinic"),
                Row.invalid("trailing slash", "clinic/"),
                Row.invalid("empty path component", "registry.example.com//clinic"),
                Row.invalid("double separator", "clinic__x"),
                Row.invalid("a URL", "https://registry.example.com/clinic:1"),
                Row.invalid("whitespace", "clinic:1 "),
                Row.invalid("a runtime's prefix", "docker-pullable://clinic@" + D));
    }
}
