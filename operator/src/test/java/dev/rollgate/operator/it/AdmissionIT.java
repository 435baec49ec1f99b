package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.testkit.Kubectl;
import dev.rollgate.testkit.LocalKubernetes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad ApiDeployments are rejected by the API server at admission (OpenAPI schema and CEL rules
 * of the committed CRD), each with a message that says what to fix. No operator is involved.
 */
class AdmissionIT extends AdmissionTestBase {
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("image missing", "{}", "spec.image: Required value"),
                Arguments.of("image empty", "{image: ''}", "spec.image"),
                Arguments.of(
                        "image not a reference",
                        "{image: 'Not An Image!'}",
                        "spec.image must be a container image reference"),
                Arguments.of(
                        "image with uppercase repository",
                        "{image: 'Registry/Clinic:1'}",
                        "spec.image must be a container image reference"),
                Arguments.of(
                        "api replicas negative",
                        "{image: 'clinic:1', api: {replicas: -1}}",
                        "spec.api.replicas: Invalid value: -1: spec.api.replicas in body should be greater than or equal to 0"),
                Arguments.of(
                        "worker replicas negative",
                        "{image: 'clinic:1', worker: {replicas: -2}}",
                        "spec.worker.replicas in body should be greater than or equal to 0"),
                Arguments.of(
                        "port out of range",
                        "{image: 'clinic:1', api: {port: 70000}}",
                        "spec.api.port in body should be less than or equal to 65535"),
                Arguments.of(
                        "timeout zero",
                        "{image: 'clinic:1', rollout: {timeoutSeconds: 0}}",
                        "spec.rollout.timeoutSeconds in body should be greater than or equal to 1"),
                Arguments.of(
                        "onFailure not an enum value",
                        "{image: 'clinic:1', rollout: {onFailure: Retry}}",
                        "Unsupported value: \"Retry\": supported values: \"Hold\", \"Revert\""),
                Arguments.of(
                        "soak longer than the deadline",
                        "{image: 'clinic:1', rollout: {timeoutSeconds: 30, minReadySeconds: 60}}",
                        "rollout.minReadySeconds must be smaller than rollout.timeoutSeconds"),
                Arguments.of(
                        "probe path without slash",
                        "{image: 'clinic:1', probes: {readiness: {path: health}}}",
                        "probe path must start with '/'"),
                Arguments.of(
                        "dependency not a StatefulSet name",
                        "{image: 'clinic:1', dependencies: {statefulSets: [Bad_Name]}}",
                        "dependencies.statefulSets must hold StatefulSet names"),
                Arguments.of(
                        "failFast not a boolean",
                        "{image: 'clinic:1', rollout: {failFast: maybe}}",
                        "spec.rollout.failFast: Invalid value: \"string\": spec.rollout.failFast in body must be of type boolean"),
                // the pod overlay
                Arguments.of(
                        "pod label with a key Rollgate selects by",
                        "{image: 'clinic:1', api: {pod: {labels: {team: a, 'app.kubernetes.io/component': db}}}}",
                        "spec.api.pod.labels: Invalid value: \"object\": pod.labels must not use the app.kubernetes.io/ keys "
                                + "Rollgate sets on every pod (name, instance, component, part-of, managed-by, version; the Deployment "
                                + "selects pods by them): remove them or use a key of your own, e.g. example.com/team"),
                Arguments.of(
                        "pod label app.kubernetes.io/version",
                        "{image: 'clinic:1', worker: {pod: {labels: " + "{'app.kubernetes.io/version': '2'}}}}",
                        "spec.worker.pod.labels: Invalid value"),
                Arguments.of(
                        "volumeMount naming no volume of the overlay",
                        "{image: 'clinic:1', worker: {pod: {volumes: [{name: tmp, emptyDir: {}}], "
                                + "volumeMounts: [{name: tmp, mountPath: /tmp}, {name: cache, mountPath: /cache}]}}}",
                        "spec.worker.pod.volumeMounts: Invalid value: \"object\": pod.volumeMounts: every mount must name a "
                                + "volume of the same pod.volumes; add that volume to pod.volumes or correct the mount's name"),
                Arguments.of(
                        "volumeMount without any volume",
                        "{image: 'clinic:1', api: {pod: {volumeMounts: " + "[{name: tmp, mountPath: /tmp}]}}}",
                        "pod.volumeMounts: every mount must name a volume"),
                Arguments.of(
                        "two volumes of one name",
                        "{image: 'clinic:1', api: {pod: {volumes: "
                                + "[{name: tmp, emptyDir: {}}, {name: tmp, emptyDir: {}}]}}}",
                        "spec.api.pod.volumes[1]: Duplicate value"),
                Arguments.of(
                        "volume name longer than 63",
                        "{image: 'clinic:1', api: {pod: {volumes: [{name: %s, emptyDir: {}}]}}}"
                                .formatted("v".repeat(64)),
                        "spec.api.pod.volumes[0].name: Too long: may not be more than 63 bytes"),
                Arguments.of(
                        "too many pod labels",
                        "{image: 'clinic:1', api: {pod: {labels: {%s}}}}"
                                .formatted(IntStream.range(0, 65)
                                        .mapToObj(i -> "l" + i + ": v")
                                        .collect(Collectors.joining(", "))),
                        "spec.api.pod.labels: Too many: 65: must have at most 64 items"),
                Arguments.of(
                        "imagePullPolicy not an enum value",
                        "{image: 'clinic:1', api: {pod: {imagePullPolicy: Sometimes}}}",
                        "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
                Arguments.of(
                        "autoscaling min above max",
                        "{image: 'clinic:1', api: {autoscaling: {minReplicas: 5, maxReplicas: 2}}}",
                        "spec.api.autoscaling.minReplicas must not be greater than maxReplicas"),
                Arguments.of(
                        "autoscaling without maxReplicas",
                        "{image: 'clinic:1', api: {autoscaling: {minReplicas: 2}}}",
                        "spec.api.autoscaling.maxReplicas: Required value"),
                Arguments.of(
                        "disruption with both bounds",
                        "{image: 'clinic:1', api: {disruption: {maxUnavailable: 1, " + "minAvailable: 1}}}",
                        "spec.api.disruption: set maxUnavailable or minAvailable, not both"),
                Arguments.of(
                        "an env value over 128 KiB",
                        "{image: 'clinic:1', env: [{name: BIG, value: '%s'}]}".formatted("x".repeat(131073)),
                        "spec.env: Invalid value: \"array\": spec.env: a value may be at most 128 KiB "
                                + "(131072 bytes): the kernel refuses to start a process with a longer environment string"),
                Arguments.of(
                        "env values over 1 MiB together",
                        "{image: 'clinic:1', env: [%s]}"
                                .formatted(IntStream.range(0, 9)
                                        .mapToObj(i -> "{name: V" + i + ", value: '" + "x".repeat(120_000) + "'}")
                                        .collect(Collectors.joining(", "))),
                        "spec.env: the values together may be at most 1 MiB (1048576 bytes)"),
                Arguments.of(
                        "negative grace period",
                        "{image: 'clinic:1', worker: {pod: {terminationGracePeriodSeconds: -1}}}",
                        "spec.worker.pod.terminationGracePeriodSeconds in body should be greater than or equal to 0"));
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
        assertThatThrownBy(() -> client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(message);
        // nothing half-written is left behind
        assertThat(ns.cr().get()).isNull();
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of(
                        "a".repeat(57),
                        "metadata.name may be at most 56 characters: Rollgate creates the Deployment "
                                + "<name>-worker and the Service <name>-api from it"),
                Arguments.of("clinic.eu", "metadata.name must be a DNS-1035 label"),
                Arguments.of("1clinic", "metadata.name must be a DNS-1035 label"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNames")
    void namesWhoseDerivedObjectsCouldNotExistAreRejected(String name, String message) {
        String yaml = """
        apiVersion: rollgate.dev/v1alpha1
        kind: ApiDeployment
        metadata: {name: '%s', namespace: %s}
        spec: {image: 'clinic:1'}
        """.formatted(name, ns.namespace);
        assertThatThrownBy(() -> client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(message);
    }

    @Test
    void theLongestNameAndEnvAtTheirBoundsAreAccepted() {
        String name = "a" + "b".repeat(55);
        String yaml = """
        apiVersion: rollgate.dev/v1alpha1
        kind: ApiDeployment
        metadata: {name: %s, namespace: %s}
        spec: {image: 'clinic:1', env: [{name: BIG, value: '%s'}]}
        """.formatted(name, ns.namespace, "x".repeat(131072));
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .create();
        client.resources(dev.rollgate.operator.api.ApiDeployment.class)
                .inNamespace(ns.namespace)
                .withName(name)
                .delete();
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
        Kubectl.Result applied = Kubectl.admin(LocalKubernetes.get()).runWithInput(yaml, "apply", "-f", "-");
        String out = applied.stdout() + applied.stderr();
        assertThat(applied.exitCode()).as(out).isNotZero();
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
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .create();
        var spec = ns.cr().get().getSpec();
        assertThat(spec.api.replicas).isEqualTo(2);
        assertThat(spec.worker.replicas).isEqualTo(1);
        assertThat(spec.rollout.timeoutSeconds).isEqualTo(300);
        assertThat(spec.rollout.onFailure.name()).isEqualTo("Revert");
        ns.cr().delete();
    }

    @Test
    void anObjectUsingEveryPodOverlayFieldIsAcceptedAndKeptWhole() {
        String pod = """
        {labels: {team: payments, 'example.com/tier': gold},
         annotations: {'prometheus.io/scrape': 'true'},
         nodeSelector: {'kubernetes.io/os': linux},
         tolerations: [{key: dedicated, operator: Equal, value: apps, effect: NoSchedule}],
         affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100,
           podAffinityTerm: {topologyKey: kubernetes.io/hostname,
             labelSelector: {matchLabels: {'app.kubernetes.io/instance': clinic}}}}]}},
         topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone,
           whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {'app.kubernetes.io/component': api}}}],
         serviceAccountName: clinic,
         securityContext: {runAsNonRoot: true, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}},
         containerSecurityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
           capabilities: {drop: [ALL]}},
         volumes: [{name: tmp, emptyDir: {}}, {name: config, configMap: {name: clinic-config}}],
         volumeMounts: [{name: tmp, mountPath: /tmp}, {name: config, mountPath: /config, readOnly: true}],
         priorityClassName: business-critical,
         terminationGracePeriodSeconds: 45,
         imagePullPolicy: Always}""";
        String yaml = """
        apiVersion: rollgate.dev/v1alpha1
        kind: ApiDeployment
        metadata: {name: overlay, namespace: %s}
        spec: {image: 'clinic:1', api: {pod: %s}, worker: {pod: %s}}
        """.formatted(ns.namespace, pod.replace("\n", " "), pod.replace("\n", " "));
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .create();
        var cr = client.resources(ApiDeployment.class)
                .inNamespace(ns.namespace)
                .withName("overlay")
                .get();
        for (var o : List.of(cr.getSpec().api.pod, cr.getSpec().worker.pod)) {
            // nothing pruned: every field came back as it was sent
            assertThat(o.labels).containsOnlyKeys("team", "example.com/tier");
            assertThat(o.annotations).containsEntry("prometheus.io/scrape", "true");
            assertThat(o.nodeSelector).containsEntry("kubernetes.io/os", "linux");
            assertThat(o.tolerations).extracting("key").containsExactly("dedicated");
            assertThat(o.affinity
                            .getPodAntiAffinity()
                            .getPreferredDuringSchedulingIgnoredDuringExecution()
                            .get(0)
                            .getPodAffinityTerm()
                            .getTopologyKey())
                    .isEqualTo("kubernetes.io/hostname");
            assertThat(o.topologySpreadConstraints.get(0).getWhenUnsatisfiable())
                    .isEqualTo("ScheduleAnyway");
            assertThat(o.serviceAccountName).isEqualTo("clinic");
            assertThat(o.securityContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(o.containerSecurityContext.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(o.volumes).extracting("name").containsExactly("tmp", "config");
            assertThat(o.volumes.get(1).getConfigMap().getName()).isEqualTo("clinic-config");
            assertThat(o.volumeMounts).extracting("mountPath").containsExactly("/tmp", "/config");
            assertThat(o.priorityClassName).isEqualTo("business-critical");
            assertThat(o.terminationGracePeriodSeconds).isEqualTo(45L);
            assertThat(o.imagePullPolicy.name()).isEqualTo("Always");
        }
        client.resource(cr).delete();
    }
}
