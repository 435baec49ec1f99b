package dev.rollgate.operator.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.operator.api.ApiDeploymentSpec;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per kind of reference: what {@code parse} makes of it, and (same rows) that the CRD's
 * CEL rule accepts exactly the references {@code parse} does.
 */
class ImageReferenceTest {

  static final String D = "sha256:" + "0123456789abcdef".repeat(4);
  static final String D2 = "sha256:" + "fedcba9876543210".repeat(4);
  static final String TAG_128 = "v" + "1234567890".repeat(12) + "abcdefg";
  static final String NONE = null;

  /** A reference and what parse must make of it; registry == null means parse rejects it. */
  record Row(String why, String image, String registry, String repository, String tag, String digest,
      String version, String canonical) {
    static Row valid(String why, String image, String registry, String repository, String tag, String digest,
        String version, String canonical) {
      return new Row(why, image, registry, repository, tag, digest, version, canonical);
    }

    static Row invalid(String why, String image) {
      return new Row(why, image, null, null, null, null, null, null);
    }

    boolean accepted() {
      return registry != null;
    }

    @Override
    public String toString() {
      return why + ": " + image;
    }
  }

  static Stream<Row> references() {
    return Stream.of(
        Row.valid("library image alone", "clinic", "docker.io", "clinic", NONE, NONE, "latest",
            "docker.io/library/clinic"),
        Row.valid("library image, official", "postgres", "docker.io", "postgres", NONE, NONE, "latest",
            "docker.io/library/postgres"),
        Row.valid("library image with tag", "clinic:1.4.2", "docker.io", "clinic", "1.4.2", NONE, "1.4.2",
            "docker.io/library/clinic"),
        Row.valid("Docker Hub user repository", "team/app:v1", "docker.io", "team/app", "v1", NONE, "v1",
            "docker.io/team/app"),
        Row.valid("Docker Hub spelled out", "docker.io/library/clinic:1", "docker.io", "docker.io/library/clinic",
            "1", NONE, "1", "docker.io/library/clinic"),
        Row.valid("Docker Hub's old host", "index.docker.io/clinic:1", "docker.io", "index.docker.io/clinic", "1",
            NONE, "1", "docker.io/library/clinic"),
        Row.valid("registry host with a dot", "registry.example.com/clinic:1.4.2", "registry.example.com",
            "registry.example.com/clinic", "1.4.2", NONE, "1.4.2", "registry.example.com/clinic"),
        Row.valid("registry with port and tag", "localhost:5000/clinic:1.2", "localhost:5000",
            "localhost:5000/clinic", "1.2", NONE, "1.2", "localhost:5000/clinic"),
        Row.valid("localhost without port", "localhost/clinic", "localhost", "localhost/clinic", NONE, NONE, "latest",
            "localhost/clinic"),
        Row.valid("a colon without a slash is a tag, not a port", "clinic:5000", "docker.io", "clinic", "5000", NONE,
            "5000", "docker.io/library/clinic"),
        Row.valid("host:port alone is a repository and a tag", "localhost:5000", "docker.io", "localhost", "5000",
            NONE, "5000", "docker.io/library/localhost"),
        Row.valid("nested path", "ghcr.io/org/sub/app:1.0-rc.1", "ghcr.io", "ghcr.io/org/sub/app", "1.0-rc.1", NONE,
            "1.0-rc.1", "ghcr.io/org/sub/app"),
        Row.valid("separators inside components", "my-registry.example.com/my_team/app.v2-x:1",
            "my-registry.example.com", "my-registry.example.com/my_team/app.v2-x", "1", NONE, "1",
            "my-registry.example.com/my_team/app.v2-x"),
        Row.valid("digest", "clinic@" + D, "docker.io", "clinic", NONE, D, "digest", "docker.io/library/clinic"),
        Row.valid("registry with port, nested path, digest", "registry.example.com:443/team/app@" + D,
            "registry.example.com:443", "registry.example.com:443/team/app", NONE, D, "digest",
            "registry.example.com:443/team/app"),
        Row.valid("tag and digest", "registry.example.com/clinic:1.4.2@" + D, "registry.example.com",
            "registry.example.com/clinic", "1.4.2", D, "1.4.2", "registry.example.com/clinic"),
        Row.valid("uppercase and underscore in a tag are fine", "clinic:V1_RC", "docker.io", "clinic", "V1_RC", NONE,
            "V1_RC", "docker.io/library/clinic"),
        Row.valid("a tag that is no label value is trimmed", "clinic:_rc-", "docker.io", "clinic", "_rc-", NONE, "rc",
            "docker.io/library/clinic"),
        Row.valid("a 128-character tag gives a 63-character label", "clinic:" + TAG_128, "docker.io", "clinic",
            TAG_128, NONE, TAG_128.substring(0, 63), "docker.io/library/clinic"),
        Row.valid("a bare config id reads as repository sha256 with a tag", D, "docker.io", "sha256", D.substring(7),
            NONE, D.substring(7, 70), "docker.io/library/sha256"),

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

  @ParameterizedTest(name = "{0}")
  @MethodSource("references")
  void parses(Row row) {
    Optional<ImageReference> parsed = ImageReference.tryParse(row.image());
    assertThat(parsed.isPresent()).as("accepted").isEqualTo(row.accepted());
    if (!row.accepted()) {
      assertThatThrownBy(() -> ImageReference.parse(row.image())).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    ImageReference r = parsed.get();
    assertThat(r.registry()).as("registry").isEqualTo(row.registry());
    assertThat(r.repository()).as("repository").isEqualTo(row.repository());
    assertThat(r.tag()).as("tag").isEqualTo(Optional.ofNullable(row.tag()));
    assertThat(r.digest()).as("digest").isEqualTo(Optional.ofNullable(row.digest()));
    assertThat(r.isDigestPinned()).as("pinned").isEqualTo(row.digest() != null);
    assertThat(r.labelSafeVersion()).as("version label").isEqualTo(row.version())
        .matches("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?").hasSizeLessThanOrEqualTo(63);
    assertThat(r.canonicalRepository()).as("canonical repository").isEqualTo(row.canonical());
    assertThat(r.toString()).as("written back as given").isEqualTo(row.image());
  }

  /** The CEL rule's own regex, taken out of the rule string the CRD carries. */
  static Pattern celRegex() {
    String rule = ApiDeploymentSpec.IMAGE_RULE;
    String prefix = "self.matches('";
    assertThat(rule).startsWith(prefix).endsWith("')");
    return Pattern.compile(rule.substring(prefix.length(), rule.length() - 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("references")
  void theCrdRuleAcceptsExactlyWhatParseAccepts(Row row) {
    assertThat(celRegex().matcher(row.image()).matches()).as("CEL rule").isEqualTo(row.accepted());
  }

  @Test
  void theRegexEmbedsVerbatimInACelString() {
    // no quote to end the CEL literal early, no backslash for CEL to unescape differently
    assertThat(ImageReference.REGEX).doesNotContain("'", "\\");
    assertThat(celRegex().pattern()).isEqualTo(ImageReference.REGEX);
  }

  static Stream<Object[]> imageIds() {
    return Stream.of(
        new Object[] {"containerd: repository digest", "docker.io/library/clinic@" + D, D},
        new Object[] {"dockershim: docker-pullable://", "docker-pullable://registry.example.com/clinic@" + D, D},
        new Object[] {"registry with port", "localhost:5000/team/clinic@" + D, D},
        new Object[] {"a bare config id cannot be pulled by", D, null},
        new Object[] {"a config id behind a prefix", "docker-pullable://" + D, null},
        new Object[] {"docker:// and an id", "docker://" + D, null},
        new Object[] {"KWOK's fake", "kwok://registry.example.com/clinic:1.0.0", null},
        new Object[] {"a tag is not a digest", "registry.example.com/clinic:1.0.0", null},
        new Object[] {"tag and digest: not what a runtime reports", "clinic:1@" + D, null},
        new Object[] {"uppercase hex", "clinic@" + D.toUpperCase().replace("SHA256", "sha256"), null},
        new Object[] {"short", "clinic@sha256:0123", null},
        new Object[] {"empty", "", null},
        new Object[] {"absent", null, null});
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("imageIds")
  void onlyARepositoryDigestCountsAsWhatAPodRuns(String why, String imageId, String digest) {
    assertThat(ImageReference.isRepositoryDigest(imageId)).isEqualTo(digest != null);
    assertThat(ImageReference.fromImageId(imageId).flatMap(ImageReference::digest))
        .isEqualTo(Optional.ofNullable(digest));
  }

  @Test
  void withDigestPinsTheRepositoryAndDropsTheTag() {
    assertThat(ImageReference.parse("registry.example.com/clinic:1.0.0").withDigest(D))
        .hasToString("registry.example.com/clinic@" + D);
    assertThat(ImageReference.parse("localhost:5000/clinic:1.2").withDigest(D))
        .hasToString("localhost:5000/clinic@" + D);
    assertThat(ImageReference.parse("clinic").withDigest(D)).hasToString("clinic@" + D);
    assertThat(ImageReference.parse("clinic:1@" + D2).withDigest(D)).hasToString("clinic@" + D);
    ImageReference pinned = ImageReference.parse("registry.example.com:443/team/app:2").withDigest(D);
    assertThat(pinned).isEqualTo(ImageReference.parse("registry.example.com:443/team/app@" + D));
    assertThat(pinned.registry()).isEqualTo("registry.example.com:443");
    assertThat(pinned.tag()).isEmpty();
    assertThat(pinned.isDigestPinned()).isTrue();
    assertThatThrownBy(() -> ImageReference.parse("clinic:1").withDigest("sha256:abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageReference.parse("clinic:1").withDigest(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPinnedFormKeepsTheTagAndIsRecognisedOnlyWithAWellFormedDigest() {
    String pinned = ImageReference.pin("registry.example.com/clinic:1.0.0", D);
    assertThat(pinned).isEqualTo("registry.example.com/clinic:1.0.0@" + D);
    assertThat(ImageReference.isPinnedForm(pinned, "registry.example.com/clinic:1.0.0")).isTrue();
    assertThat(ImageReference.isPinnedForm("registry.example.com/clinic:1.0.0", "registry.example.com/clinic:1.0.0"))
        .isFalse();
    assertThat(ImageReference.isPinnedForm("registry.example.com/clinic:1.0.0@latest", "registry.example.com/clinic:1.0.0"))
        .isFalse();
    assertThat(ImageReference.isPinnedForm(pinned + "@" + D, pinned)).as("an image pinned already").isFalse();
  }
}
