package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad ApiDeployments are rejected by the API server at admission (OpenAPI schema and CEL rules
 * of the committed CRD), each with a message that says what to fix. No operator is involved.
 */
class AdmissionIT {
  static KubernetesClient client;
  static Scenario ns;

  @BeforeAll
  static void crd() throws Exception {
    client = ItCluster.admin();
    ItCluster.ensureCrd(client);
    ns = new Scenario(client, "admission");
  }

  @AfterAll
  static void cleanUp() {
    if (ns != null) {
      ns.close();
    }
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("image missing", "{}", "spec.image: Required value"),
        Arguments.of("image empty", "{image: ''}", "spec.image"),
        Arguments.of("image not a reference", "{image: 'Not An Image!'}",
            "spec.image must be a container image reference"),
        Arguments.of("image with uppercase repository", "{image: 'Registry/Clinic:1'}",
            "spec.image must be a container image reference"),
        Arguments.of("api replicas negative", "{image: 'clinic:1', api: {replicas: -1}}",
            "spec.api.replicas: Invalid value: -1: spec.api.replicas in body should be greater than or equal to 0"),
        Arguments.of("worker replicas negative", "{image: 'clinic:1', worker: {replicas: -2}}",
            "spec.worker.replicas in body should be greater than or equal to 0"),
        Arguments.of("port out of range", "{image: 'clinic:1', api: {port: 70000}}",
            "spec.api.port in body should be less than or equal to 65535"),
        Arguments.of("timeout zero", "{image: 'clinic:1', rollout: {timeoutSeconds: 0}}",
            "spec.rollout.timeoutSeconds in body should be greater than or equal to 1"),
        Arguments.of("onFailure not an enum value", "{image: 'clinic:1', rollout: {onFailure: Retry}}",
            "Unsupported value: \"Retry\": supported values: \"Hold\", \"Revert\""),
        Arguments.of("soak longer than the deadline",
            "{image: 'clinic:1', rollout: {timeoutSeconds: 30, minReadySeconds: 60}}",
            "rollout.minReadySeconds must be smaller than rollout.timeoutSeconds"),
        Arguments.of("probe path without slash", "{image: 'clinic:1', probes: {readiness: {path: health}}}",
            "probe path must start with '/'"),
        Arguments.of("dependency not a StatefulSet name",
            "{image: 'clinic:1', dependencies: {statefulSets: [Bad_Name]}}",
            "dependencies.statefulSets must hold StatefulSet names"),
        Arguments.of("failFast not a boolean", "{image: 'clinic:1', rollout: {failFast: maybe}}",
            "spec.rollout.failFast: Invalid value: \"string\": spec.rollout.failFast in body must be of type boolean"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectedAtAdmissionWithAClearMessage(String why, String spec, String message) {
    String yaml = """
        apiVersion: rollgate.dev/v1alpha1
        kind: ApiDeployment
        metadata: {name: bad, namespace: %s}
        spec: %s
        """.formatted(ns.namespace, spec);
    assertThatThrownBy(() -> client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
    // nothing half-written is left behind
    assertThat(ns.cr().get()).isNull();
  }

  @Test
  void unknownFieldsAreRejectedByStrictFieldValidation() throws Exception {
    // kubectl validates strictly by default (fieldValidation=Strict): a typo is an error, not silently pruned
    String yaml = """
        apiVersion: rollgate.dev/v1alpha1
        kind: ApiDeployment
        metadata: {name: typo, namespace: %s}
        spec: {image: 'clinic:1', rollout: {timeoutSecond: 30}}
        """.formatted(ns.namespace);
    Process p = new ProcessBuilder(ItCluster.kubectl().toString(), "--kubeconfig", ItCluster.adminKubeconfig().toString(),
        "apply", "-f", "-").redirectErrorStream(true).start();
    p.getOutputStream().write(yaml.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isNotZero();
    assertThat(out).contains("unknown field \"spec.rollout.timeoutSecond\"");
  }

  @Test
  void aValidMinimalObjectGetsItsDefaults() {
    String yaml = """
        apiVersion: rollgate.dev/v1alpha1
        kind: ApiDeployment
        metadata: {name: clinic, namespace: %s}
        spec: {image: 'registry.example.com/clinic@sha256:%s'}
        """.formatted(ns.namespace, "a".repeat(64));
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).create();
    var spec = ns.cr().get().getSpec();
    assertThat(spec.api.replicas).isEqualTo(2);
    assertThat(spec.worker.replicas).isEqualTo(1);
    assertThat(spec.rollout.timeoutSeconds).isEqualTo(300);
    assertThat(spec.rollout.onFailure.name()).isEqualTo("Revert");
    ns.cr().delete();
  }
}
