package dev.rollgate.e2e.helm;

import static dev.rollgate.e2e.helm.Charts.OPERATOR;
import static dev.rollgate.e2e.helm.OperatorChart.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.helm.Charts.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator chart under the values that change it: scale, spread, network policy, shards, scheduling, metrics. */
class OperatorChartValuesTest {
    @Test
    void oneReplicaHasNoDisruptionBudgetAndTwoAreSpreadOverNodesAndDrainedOneAtATime() {
        assertThat(render(Map.of()).ofKind("PodDisruptionBudget")).isEmpty();
        assertThat(render(Map.of())
                        .single("Deployment")
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .has("affinity"))
                .isFalse();

        Manifests two = render(Map.of("replicaCount", 2));
        JsonNode selector =
                two.single("Deployment").path("spec").path("selector").path("matchLabels");
        JsonNode pdb = two.single("PodDisruptionBudget");
        assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.path("spec").path("selector").path("matchLabels")).isEqualTo(selector);
        JsonNode spread = two.single("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("affinity")
                .path("podAntiAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution")
                .get(0)
                .path("podAffinityTerm");
        assertThat(spread.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(spread.path("labelSelector").path("matchLabels")).isEqualTo(selector);
    }

    @Test
    void aPodAntiAffinityOfTheValuesReplacesTheDefaultSpread() {
        Map<String, Object> own = Map.of(
                "requiredDuringSchedulingIgnoredDuringExecution",
                List.of(Map.of(
                        "topologyKey",
                        "topology.kubernetes.io/zone",
                        "labelSelector",
                        Map.of("matchLabels", Map.of("app.kubernetes.io/name", OPERATOR)))));
        JsonNode affinity = render(Map.of("replicaCount", 3, "affinity", Map.of("podAntiAffinity", own)))
                .single("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("affinity");

        assertThat(affinity.path("podAntiAffinity").has("preferredDuringSchedulingIgnoredDuringExecution"))
                .isFalse();
        assertThat(affinity.path("podAntiAffinity")
                        .path("requiredDuringSchedulingIgnoredDuringExecution")
                        .get(0)
                        .path("topologyKey")
                        .asText())
                .isEqualTo("topology.kubernetes.io/zone");
    }

    @Test
    void aNetworkPolicyIsOptionalAndLetsInOnlyTheHttpPortAndOutOnlyDnsAndTheGivenEgress() {
        assertThat(render(Map.of()).ofKind("NetworkPolicy")).isEmpty();

        Map<String, Object> apiServer = Map.of(
                "to",
                List.of(Map.of("ipBlock", Map.of("cidr", "10.0.0.10/32"))),
                "ports",
                List.of(Map.of("port", 6443, "protocol", "TCP")));
        Manifests m = render(Map.of("networkPolicy", Map.of("enabled", true, "egress", List.of(apiServer))));
        JsonNode spec = m.single("NetworkPolicy").path("spec");

        assertThat(spec.path("podSelector").path("matchLabels"))
                .isEqualTo(m.single("Deployment").path("spec").path("selector").path("matchLabels"));
        assertThat(texts(spec.path("policyTypes"))).containsExactly("Ingress", "Egress");
        assertThat(spec.path("ingress")).hasSize(1);
        assertThat(spec.path("ingress").get(0).path("ports").get(0).path("port").asText())
                .isEqualTo("http");
        assertThat(spec.path("ingress").get(0).has("from"))
                .as("anyone may reach the http port")
                .isFalse();
        assertThat(spec.path("egress")).hasSize(2);
        assertThat(spec.path("egress").get(0).path("ports").findValuesAsText("port"))
                .containsOnly("53");
        assertThat(spec.path("egress").get(1).path("ports").get(0).path("port").asInt())
                .isEqualTo(6443);
    }

    @Test
    void aNetworkPolicyWithoutEgressFailsTheRenderRatherThanCutTheOperatorOffTheApiServer() {
        assertThatThrownBy(() -> render(Map.of("networkPolicy", Map.of("enabled", true))))
                .hasMessageContaining("networkPolicy.egress must allow the API server");
    }

    @Test
    void kubeScoreChecksAreSkippedOnlyWhileTheValuesThatJustifyThemAreInEffect() {
        String byDefault = render(Map.of())
                .single("Deployment")
                .path("metadata")
                .path("annotations")
                .path("kube-score/ignore")
                .asText();
        String allReasonsGone = render(Map.of(
                        "image", Map.of("repository", "rollgate/operator", "pullPolicy", "Always"),
                        "replicaCount", 2,
                        "networkPolicy",
                                Map.of(
                                        "enabled",
                                        true,
                                        "egress",
                                        List.of(Map.of("ports", List.of(Map.of("port", 6443)))))))
                .single("Deployment")
                .path("metadata")
                .path("annotations")
                .path("kube-score/ignore")
                .asText();

        assertThat(byDefault.split(","))
                .containsExactlyInAnyOrder(
                        "container-ephemeral-storage-request-and-limit",
                        "container-image-pull-policy",
                        "deployment-replicas",
                        "pod-networkpolicy");
        assertThat(allReasonsGone).isEqualTo("container-ephemeral-storage-request-and-limit");
    }

    @Test
    void valuesSetImageReplicasLeaderElectionAndResources() {
        Manifests m = render(Map.of(
                "image",
                Map.of(
                        "repository",
                        "registry.example.com/rollgate/operator",
                        "tag",
                        "0.2.0-rc1",
                        "pullPolicy",
                        "Always"),
                "replicaCount",
                3,
                "leaderElection",
                false,
                "resources",
                Map.of(
                        "requests",
                        Map.of("cpu", "250m", "memory", "384Mi"),
                        "limits",
                        Map.of("cpu", 1, "memory", "1Gi"))));
        JsonNode deployment = m.single("Deployment");
        JsonNode container = operatorContainer(m);

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(container.path("image").asText()).isEqualTo("registry.example.com/rollgate/operator:0.2.0-rc1");
        assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(env(container, "ROLLGATE_LEADER_ELECTION").path("value").asText())
                .isEqualTo("false");
        assertThat(container.path("resources").path("requests").path("cpu").asText())
                .isEqualTo("250m");
        assertThat(container.path("resources").path("limits").path("cpu").asText())
                .isEqualTo("1");
        assertThat(container.path("resources").path("limits").path("memory").asText())
                .isEqualTo("1Gi");
    }

    @Test
    void aShardWatchesItsNamespacesOrLabelsAndElectsThroughALeaseOfItsOwn() {
        Manifests byLabel = render(Map.of(
                "fullnameOverride", "rollgate-shard-a", "watch", Map.of("labelSelector", "rollgate.dev/shard=a")));
        JsonNode container = operatorContainer(byLabel);
        assertThat(env(container, "QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_SELECTOR")
                        .path("value")
                        .asText())
                .isEqualTo("rollgate.dev/shard=a");
        assertThat(env(container, "ROLLGATE_LEADER_ELECTION_LEASE_NAME")
                        .path("value")
                        .asText())
                .isEqualTo("rollgate-shard-a");

        Manifests byNamespace = render(Map.of("watch", Map.of("namespaces", List.of("team-a", "team-b"))));
        container = operatorContainer(byNamespace);
        assertThat(env(container, "QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_NAMESPACES")
                        .path("value")
                        .asText())
                .isEqualTo("team-a,team-b");

        // not a shard: everything, and the Lease every earlier release used
        JsonNode plain = operatorContainer(render(Map.of()));
        assertThat(plain.path("env").toString())
                .doesNotContain("LEASE_NAME", "APIDEPLOYMENT_SELECTOR", "APIDEPLOYMENT_NAMESPACES");
    }

    @Test
    void aServiceAccountNameOverrideIsBoundToBothRoles() {
        Manifests m = render(Map.of("serviceAccount", Map.of("name", "rollgate")));

        assertThat(m.single("ServiceAccount").path("metadata").path("name").asText())
                .isEqualTo("rollgate");
        assertThat(m.single("Deployment")
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("serviceAccountName")
                        .asText())
                .isEqualTo("rollgate");
        for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
            JsonNode subject = m.single(binding).path("subjects").get(0);
            assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(subject.path("name").asText()).isEqualTo("rollgate");
            assertThat(subject.path("namespace").asText()).isEqualTo(NAMESPACE);
        }
    }

    @Test
    void schedulingAndPodAnnotationsComeFromValues() {
        JsonNode pod = render(Map.of(
                        "podAnnotations", Map.of("example.com/team", "platform"),
                        "nodeSelector", Map.of("kubernetes.io/os", "linux"),
                        "tolerations",
                                List.of(Map.of("key", "dedicated", "operator", "Exists", "effect", "NoSchedule")),
                        "affinity", Map.of("nodeAffinity", Map.of())))
                .single("Deployment")
                .path("spec")
                .path("template");

        assertThat(pod.path("metadata")
                        .path("annotations")
                        .path("example.com/team")
                        .asText())
                .isEqualTo("platform");
        assertThat(pod.path("spec")
                        .path("nodeSelector")
                        .path("kubernetes.io/os")
                        .asText())
                .isEqualTo("linux");
        assertThat(pod.path("spec").path("tolerations").get(0).path("key").asText())
                .isEqualTo("dedicated");
        assertThat(pod.path("spec").has("affinity")).isTrue();
    }

    @Test
    void metricsServiceTargetsTheHttpPortWithScrapeAnnotations() {
        JsonNode service = render(Map.of()).get("Service", FULLNAME + "-metrics");
        JsonNode port = service.path("spec").path("ports").get(0);

        assertThat(port.path("name").asText()).isEqualTo("http-metrics");
        assertThat(port.path("port").asInt()).isEqualTo(8080);
        assertThat(port.path("targetPort").asText()).isEqualTo("http");
        assertThat(service.path("metadata")
                        .path("annotations")
                        .path("prometheus.io/scrape")
                        .asText())
                .isEqualTo("true");
        assertThat(service.path("metadata")
                        .path("annotations")
                        .path("prometheus.io/path")
                        .asText())
                .isEqualTo("/q/metrics");
        assertThat(service.path("spec").path("selector"))
                .isEqualTo(render(Map.of())
                        .single("Deployment")
                        .path("spec")
                        .path("selector")
                        .path("matchLabels"));
    }

    @Test
    void metricsServiceAndItsAnnotationsAreOptional() {
        Manifests noAnnotations = render(Map.of("metrics", Map.of("service", Map.of("scrapeAnnotations", false))));
        Manifests noService = render(Map.of("metrics", Map.of("service", Map.of("enabled", false))));

        assertThat(noAnnotations.single("Service").path("metadata").has("annotations"))
                .isFalse();
        assertThat(noService.ofKind("Service")).isEmpty();
    }
}
