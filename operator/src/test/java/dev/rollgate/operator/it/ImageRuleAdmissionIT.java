package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.image.ImageReferenceCases;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD's image rule, evaluated by the real API server: every reference of the table that
 * {@code ImageReferenceTest} holds {@code ImageReference.parse} to is admitted exactly when parse
 * accepts it. The unit test checks the rule's regex with Java's engine; the API server runs CEL's
 * (RE2), and this is where a difference between the two would show. Dry-run creates: nothing is
 * stored, no operator is involved.
 */
class ImageRuleAdmissionIT extends AdmissionTestBase {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.rollgate.operator.image.ImageReferenceCases#references")
    void admittedExactlyWhenParseAcceptsIt(ImageReferenceCases.Row row) {
        ApiDeployment cr = Scenario.apiDeployment(ns.namespace, Scenario.NAME, row.image(), spec -> {});
        if (row.accepted()) {
            ApiDeployment admitted = client.resource(cr).dryRun().create();
            assertThat(admitted.getSpec().image).isEqualTo(row.image());
        } else {
            assertThatThrownBy(() -> client.resource(cr).dryRun().create())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                            .isEqualTo(422))
                    .hasMessageContaining("spec.image");
        }
        assertThat(ns.cr().get()).as("a dry run stores nothing").isNull();
    }
}
