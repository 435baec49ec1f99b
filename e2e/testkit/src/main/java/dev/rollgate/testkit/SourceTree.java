package dev.rollgate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's checkout, where the tests find the committed CRD and the Helm charts. Maven
 * runs tests in the module's directory ({@code operator/}, {@code e2e/}), so the root is found
 * upwards unless {@code rollgate.repo.root} names it.
 */
public final class SourceTree {
    private SourceTree() {}

    /** The repository root: {@code rollgate.repo.root}, else the nearest ancestor that holds the operator chart. */
    public static Path root() {
        String configured = System.getProperty("rollgate.repo.root");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("helm/rollgate-operator/Chart.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no helm/rollgate-operator above " + Path.of("").toAbsolutePath());
    }
}
