package dev.rollgate.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rollgate.testkit.TestNamespace;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API server evaluates a CRD's CEL rule (x-kubernetes-validations) at admission. */
@WithKubernetes
class CelValidationIT {
    private static final String RULE_MESSAGE = "minReady must not exceed maxReady";
    // a group of its own per run: CRDs are cluster-wide and the cluster may be shared
    private static final String GROUP = "cel" + UUID.randomUUID().toString().substring(0, 8) + ".e2e.rollgate.dev";
    private static final ResourceDefinitionContext GATES = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP)
            .withVersion("v1")
            .withKind("Gate")
            .withPlural("gates")
            .withNamespaced(true)
            .build();

    private static CustomResourceDefinition crd;

    @BeforeAll
    static void installCrd(KubernetesClient client) {
        crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("gates." + GROUP)
                .endMetadata()
                .withNewSpec()
                .withGroup(GROUP)
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Gate")
                .withPlural("gates")
                .withSingular("gate")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withOpenAPIV3Schema(new JSONSchemaPropsBuilder()
                        .withType("object")
                        .addToProperties(
                                "spec",
                                new JSONSchemaPropsBuilder()
                                        .withType("object")
                                        .addToProperties(
                                                "minReady",
                                                new JSONSchemaPropsBuilder()
                                                        .withType("integer")
                                                        .build())
                                        .addToProperties(
                                                "maxReady",
                                                new JSONSchemaPropsBuilder()
                                                        .withType("integer")
                                                        .build())
                                        .addToXKubernetesValidations(new ValidationRuleBuilder()
                                                .withRule("self.minReady <= self.maxReady")
                                                .withMessage(RULE_MESSAGE)
                                                .build())
                                        .build())
                        .build())
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .waitUntilCondition(
                        c -> c != null
                                && c.getStatus() != null
                                && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream()
                                        .anyMatch(
                                                x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                        30,
                        TimeUnit.SECONDS);
    }

    @AfterAll
    static void removeCrd(KubernetesClient client) {
        if (crd != null) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .delete();
        }
    }

    @Test
    void aValidObjectIsAccepted(KubernetesClient client, TestNamespace ns) {
        GenericKubernetesResource created = client.genericKubernetesResources(GATES)
                .inNamespace(ns.name())
                .resource(gate("fine", 1, 3))
                .create();

        assertThat(created.getMetadata().getUid()).isNotBlank();
    }

    @Test
    void anObjectBreakingTheRuleIsRejectedWithTheRulesMessage(KubernetesClient client, TestNamespace ns) {
        KubernetesClientException rejected = catchThrowableOfType(
                () -> client.genericKubernetesResources(GATES)
                        .inNamespace(ns.name())
                        .resource(gate("inverted", 5, 2))
                        .create(),
                KubernetesClientException.class);

        assertThat(rejected).as("create of an invalid Gate").isNotNull();
        assertThat(rejected.getCode()).isEqualTo(422);
        assertThat(rejected.getStatus().getMessage()).contains(RULE_MESSAGE);
        assertThat(client.genericKubernetesResources(GATES)
                        .inNamespace(ns.name())
                        .withName("inverted")
                        .get())
                .isNull();
    }

    private static GenericKubernetesResource gate(String name, int minReady, int maxReady) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(GROUP + "/v1")
                .withKind("Gate")
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("minReady", minReady, "maxReady", maxReady))
                .build();
    }
}
