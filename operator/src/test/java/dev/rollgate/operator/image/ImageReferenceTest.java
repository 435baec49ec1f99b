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
    static final String D = ImageReferenceCases.D;
    static final String D2 = ImageReferenceCases.D2;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.rollgate.operator.image.ImageReferenceCases#references")
    void parses(ImageReferenceCases.Row row) {
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
        assertThat(r.labelSafeVersion())
                .as("version label")
                .isEqualTo(row.version())
                .matches("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
                .hasSizeLessThanOrEqualTo(63);
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
    @MethodSource("dev.rollgate.operator.image.ImageReferenceCases#references")
    void theCrdRuleAcceptsExactlyWhatParseAccepts(ImageReferenceCases.Row row) {
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
                new Object[] {"dockershim: docker-pullable://", "docker-pullable://registry.example.com/clinic@" + D, D
                },
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
        ImageReference pinned =
                ImageReference.parse("registry.example.com:443/team/app:2").withDigest(D);
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
        assertThat(ImageReference.isPinnedForm(pinned, "registry.example.com/clinic:1.0.0"))
                .isTrue();
        assertThat(ImageReference.isPinnedForm(
                        "registry.example.com/clinic:1.0.0", "registry.example.com/clinic:1.0.0"))
                .isFalse();
        assertThat(ImageReference.isPinnedForm(
                        "registry.example.com/clinic:1.0.0@latest", "registry.example.com/clinic:1.0.0"))
                .isFalse();
        assertThat(ImageReference.isPinnedForm(pinned + "@" + D, pinned))
                .as("an image pinned already")
                .isFalse();
    }
}
