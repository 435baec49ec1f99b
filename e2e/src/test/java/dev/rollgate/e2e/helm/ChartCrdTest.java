package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.rollgate.testkit.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRD that the operator's types generate. crds/ is the committed copy (the
 * operator's CrdDriftTest keeps it in step with the Java types); the chart's copy must be the same
 * bytes, or a helm install would serve an older schema than the operator reads.
 */
class ChartCrdTest {
    private static final String FILE = "apideployments.rollgate.dev-v1.yml";

    @Test
    void chartCrdIsByteIdenticalToTheCommittedCrd() throws IOException {
        Path committed = SourceTree.root().resolve("crds").resolve(FILE);
        Path inChart = Charts.chart(OPERATOR).resolve("crds").resolve(FILE);

        assertThat(Files.readString(inChart))
                .as(
                        "helm/%s/crds/%s differs from crds/%s: copy it over (cp crds/%s helm/%s/crds/)",
                        OPERATOR, FILE, FILE, FILE, OPERATOR)
                .isEqualTo(Files.readString(committed));
        assertThat(Files.mismatch(inChart, committed)).isEqualTo(-1L);
    }

    @Test
    void helmSeesTheCrdTheChartShips() throws IOException {
        String shown = new Helm(Charts.chart(OPERATOR)).show().crds().call();

        assertThat(shown)
                .contains(Files.readString(SourceTree.root().resolve("crds").resolve(FILE))
                        .strip());
    }
}
