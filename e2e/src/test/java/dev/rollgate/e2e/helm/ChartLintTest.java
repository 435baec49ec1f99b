package dev.rollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code helm lint --strict}: a warning fails it, as it would fail a chart repository's CI. */
class ChartLintTest {

    @ParameterizedTest(name = "helm lint --strict helm/{0}")
    @ValueSource(strings = {Charts.OPERATOR, Charts.CLINIC})
    void lintStrictPasses(String chart) {
        LintResult result = new Helm(Charts.chart(chart)).lint().strict().call();

        assertThat(result.isFailed())
                .as("lint messages: %s", result.getMessages())
                .isFalse();
    }
}
