package dev.rollgate.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.RealNode;
import dev.rollgate.testkit.TestNamespace;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real node itself (e2e/cluster/node.sh): registered beside the simulated nodes and kept for
 * the pods that ask for it; cluster DNS and Service routing from real CoreDNS and kube-proxy; the
 * network rule (pods have no way off the node, the host forwards nothing); and {@code down}
 * leaving the host exactly as {@code up} found it.
 */
@WithKubernetes
@ExtendWith(SaveNodeLogsOnFailure.class)
class RealNodeIT {
    private static final Duration POD_START = Duration.ofSeconds(90);

    static LocalKubernetes cluster;
    static RealNode node;

    @BeforeAll
    static void theRealNode() {
        cluster = LocalKubernetes.get();
        node = cluster.assumeRealNode();
    }

    @Test
    void theNodeIsReadyBesideTheSimulatedOnesLabelledTaintedAndAddressedInsideItsNamespace() {
        Node real = cluster.client().nodes().withName(node.name()).get();

        assertThat(real.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(real.getMetadata().getLabels()).containsEntry(RealNode.LABEL, "real");
        assertThat(real.getSpec().getTaints())
                .extracting(Taint::getKey, Taint::getEffect)
                .contains(org.assertj.core.groups.Tuple.tuple(RealNode.TAINT, "NoSchedule"));
        assertThat(real.getStatus().getAddresses())
                .filteredOn(a -> "InternalIP".equals(a.getType()))
                .extracting(NodeAddress::getAddress)
                .containsExactly("198.18.0.1");
        assertThat(real.getStatus().getNodeInfo().getKubeletVersion())
                .isEqualTo(cluster.client().getKubernetesVersion().getGitVersion());
        assertThat(real.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://2.");
        assertThat(cluster.client().nodes().withLabel("type", "kwok").list().getItems())
                .hasSize(3);
    }

    @Test
    void aPodThatDoesNotAskForTheNodeNeverLandsThere() {
        try (TestNamespace ns = cluster.createNamespace("real-node-placement")) {
            Pod pod = cluster.client()
                    .pods()
                    .inNamespace(ns.name())
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("anywhere")
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("c")
                            .withImage("rollgate/anything:1.0.0")
                            .endContainer()
                            .endSpec()
                            .build())
                    .create();
            Pod scheduled = cluster.client()
                    .pods()
                    .inNamespace(ns.name())
                    .withName(pod.getMetadata().getName())
                    .waitUntilCondition(p -> p.getSpec().getNodeName() != null, 60, TimeUnit.SECONDS);
            assertThat(scheduled.getSpec().getNodeName()).startsWith("kwok-node-");
        }
    }

    @Test
    void podsResolveServicesThroughCoreDnsReachThemThroughKubeProxyAndHaveNoWayOffTheNode() {
        KubernetesClient client = cluster.client();
        try (TestNamespace ns = cluster.createNamespace("real-node-network")) {
            // given a Redis pod behind a ClusterIP Service, both on the real node
            client.pods()
                    .inNamespace(ns.name())
                    .resource(onTheNode(new PodBuilder()
                            .withNewMetadata()
                            .withName("redis")
                            .addToLabels("app", "redis")
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("redis")
                            .withImage(node.image("redis"))
                            .addNewPort()
                            .withContainerPort(6379)
                            .withName("redis")
                            .endPort()
                            .endContainer()
                            .endSpec()
                            .build()))
                    .create();
            client.services()
                    .inNamespace(ns.name())
                    .resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("cache")
                            .endMetadata()
                            .withNewSpec()
                            .addToSelector("app", "redis")
                            .addNewPort()
                            .withPort(6379)
                            .withNewTargetPort("redis")
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
            String clusterIp = client.services()
                    .inNamespace(ns.name())
                    .withName("cache")
                    .get()
                    .getSpec()
                    .getClusterIP();
            client.pods()
                    .inNamespace(ns.name())
                    .withName("redis")
                    .waitUntilReady(POD_START.toSeconds(), TimeUnit.SECONDS);

            // when a client pod (busybox of the postgres image) asks for it by name
            client.pods()
                    .inNamespace(ns.name())
                    .resource(onTheNode(new PodBuilder()
                            .withNewMetadata()
                            .withName("client")
                            .endMetadata()
                            .withNewSpec()
                            .withRestartPolicy("Never")
                            .addNewContainer()
                            .withName("client")
                            .withImage(node.image("postgres"))
                            .withCommand(
                                    "sh",
                                    "-c",
                                    String.join(
                                            "; ",
                                            "nslookup cache." + ns.name() + ".svc.cluster.local",
                                            "printf 'PING\\r\\n' | nc -w 3 cache 6379",
                                            "echo routes; cat /proc/net/route",
                                            "echo ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)",
                                            "nslookup example.com && echo RESOLVED-OUTSIDE || echo outside-name-not-resolved"))
                            .endContainer()
                            .endSpec()
                            .build()))
                    .create();
            Await.until(POD_START, "the client pod to finish", () -> {
                Pod p = client.pods().inNamespace(ns.name()).withName("client").get();
                return "Succeeded".equals(p.getStatus().getPhase())
                        || "Failed".equals(p.getStatus().getPhase());
            });
            String log = client.pods().inNamespace(ns.name()).withName("client").getLog();

            // then CoreDNS answered with the ClusterIP, kube-proxy routed to Redis, and nothing leads off the node
            assertThat(log).as(log).contains(clusterIp).contains("+PONG");
            List<String> routes = log.lines()
                    .dropWhile(l -> !l.equals("routes"))
                    .skip(2)
                    .takeWhile(l -> !l.startsWith("ip_forward"))
                    .toList();
            assertThat(routes)
                    .as("the pod's routes (no default route 00000000)")
                    .isNotEmpty()
                    .noneMatch(r -> r.split("\\s+")[1].equals("00000000"));
            assertThat(log).contains("outside-name-not-resolved").doesNotContain("RESOLVED-OUTSIDE");
            assertThat(hostIpForward()).as("the host's net.ipv4.ip_forward").isEqualTo("0");
        }
    }

    @Test
    void downRestoresTheHostAsUpFoundItAndUpBringsTheNodeBack() {
        // given the host's state recorded by up before it changed anything
        String recorded = node.hostStateBeforeUp();
        assertThat(recorded).contains("## sysctl", "## iptables filter", "## mounts", "## cgroups");

        // when the node is stopped
        node.down();

        // then the host is as it was: sysctls, iptables, links, routes, namespaces, mounts, cgroups, paths
        assertThat(node.hostState()).isEqualTo(recorded);
        assertThat(hostIpForward()).isEqualTo("0");
        assertThat(cluster.client().nodes().withName(node.name()).get())
                .as("the Node object")
                .isNull();

        // and up brings it back for the tests that follow
        node.up();
        assertThat(cluster.client()
                        .nodes()
                        .withName(node.name())
                        .get()
                        .getStatus()
                        .getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
    }

    private Pod onTheNode(Pod pod) {
        pod.getSpec().setNodeSelector(node.nodeSelector());
        pod.getSpec()
                .setTolerations(List.of(new io.fabric8.kubernetes.api.model.TolerationBuilder()
                        .withKey(RealNode.TAINT)
                        .withOperator("Equal")
                        .withValue("true")
                        .withEffect("NoSchedule")
                        .build()));
        return pod;
    }

    private static String hostIpForward() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
