package dev.rollgate.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD in crds/ must be exactly what the build generates from the Java types.
 * To update it after changing the API: {@code ./mvnw -pl operator package -DskipTests} then
 * {@code cp operator/target/kubernetes/apideployments.rollgate.dev-v1.yml crds/}.
 */
class CrdDriftTest {
    static final String FILE = "apideployments.rollgate.dev-v1.yml";

    @Test
    void committedCrdMatchesTheJavaTypes() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        Path generated = module.resolve("target/kubernetes").resolve(FILE);
        Path committed = module.getParent().resolve("crds").resolve(FILE);
        assertThat(generated)
                .as("the CRD is generated at build time (quarkus build)")
                .exists();
        assertThat(Files.readString(committed))
                .as(
                        "crds/%s has drifted from the Java types; regenerate it with: ./mvnw -pl operator package -DskipTests "
                                + "&& cp operator/target/kubernetes/%s crds/",
                        FILE, FILE)
                .isEqualTo(Files.readString(generated));
    }
}
