package dev.rollgate.e2e.cluster;

import static dev.rollgate.e2e.cluster.Deployments.IMAGE;
import static dev.rollgate.e2e.cluster.Deployments.deployment;
import static dev.rollgate.e2e.cluster.Deployments.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.TestNamespace;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Deployment and ReplicaSet controllers roll real Deployments, and KWOK's pods behave as the
 * image tag says: Ready, crash-looping or never ready.
 */
@WithKubernetes
class DeploymentRolloutIT {

    @Test
    void threeReplicasOfANormalImageBecomeReadyAndTheDeploymentAvailable(LocalKubernetes cluster, TestNamespace ns) {
        KubernetesClient client = cluster.client();

        // when
        client.apps()
                .deployments()
                .inNamespace(ns.name())
                .resource(deployment("web", IMAGE, 3))
                .create();

        // then
        Deployment web = client.apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .waitUntilCondition(
                        d -> hasCondition(d, "Available", "True", null)
                                && Integer.valueOf(3).equals(d.getStatus().getReadyReplicas()),
                        60,
                        TimeUnit.SECONDS);
        assertThat(web.getStatus().getAvailableReplicas()).isEqualTo(3);
        List<Pod> pods = client.pods()
                .inNamespace(ns.name())
                .withLabel("app", "web")
                .list()
                .getItems();
        assertThat(pods).hasSize(3).allSatisfy(pod -> {
            assertThat(condition(pod, "Ready")).isEqualTo("True");
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getSpec().getNodeName())
                    .as("scheduled by kube-scheduler")
                    .isNotBlank();
            if (cluster.isSimulated()) {
                assertThat(pod.getSpec().getNodeName()).startsWith("kwok-node-");
                assertThat(pod.getStatus().getPodIP())
                        .as("pod IPs stay on loopback")
                        .startsWith("127.1.");
                assertThat(pod.getStatus().getHostIP())
                        .as("node IPs stay on loopback")
                        .startsWith("127.0.1.");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "-crashloop, CrashLoopBackOff",
        "-unready,   ",
    })
    void rollingToAFailingImageExceedsTheProgressDeadline(
            String tag, String waitingReason, LocalKubernetes cluster, TestNamespace ns) {
        cluster.assumeSimulatedPods();
        KubernetesClient client = cluster.client();
        var deployments = client.apps().deployments().inNamespace(ns.name());

        // given a Deployment of 3 that is Available
        Deployment given = deployment("api", IMAGE, 3);
        given.getSpec().setProgressDeadlineSeconds(20);
        deployments.resource(given).create();
        deployments
                .withName("api")
                .waitUntilCondition(
                        d -> hasCondition(d, "Available", "True", null)
                                && Integer.valueOf(3).equals(d.getStatus().getUpdatedReplicas()),
                        60,
                        TimeUnit.SECONDS);

        // when it is rolled to an image whose pods never become Ready
        String failing = IMAGE + tag;
        deployments.withName("api").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(failing);
            return d;
        });

        // then the new pods fail the way the tag says
        Pod failed = Await.until(
                Duration.ofSeconds(30),
                "a pod of " + failing + " in its failure state",
                () -> client.pods().inNamespace(ns.name()).withLabel("app", "api").list().getItems().stream()
                        .filter(p -> failing.equals(
                                p.getSpec().getContainers().get(0).getImage()))
                        .filter(p -> p.getStatus().getContainerStatuses() != null
                                && !p.getStatus().getContainerStatuses().isEmpty())
                        .filter(p -> waitingReason == null
                                ? p.getStatus()
                                                .getContainerStatuses()
                                                .get(0)
                                                .getState()
                                                .getRunning()
                                        != null
                                : p.getStatus()
                                                        .getContainerStatuses()
                                                        .get(0)
                                                        .getState()
                                                        .getWaiting()
                                                != null
                                        && waitingReason.equals(p.getStatus()
                                                .getContainerStatuses()
                                                .get(0)
                                                .getState()
                                                .getWaiting()
                                                .getReason()))
                        .findFirst());
        assertThat(condition(failed, "Ready")).isEqualTo("False");
        assertThat(failed.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
        if (waitingReason != null) {
            String name = failed.getMetadata().getName();
            Await.until(
                    Duration.ofSeconds(30),
                    "restartCount of " + name + " to rise",
                    () -> client.pods()
                                    .inNamespace(ns.name())
                                    .withName(name)
                                    .get()
                                    .getStatus()
                                    .getContainerStatuses()
                                    .get(0)
                                    .getRestartCount()
                            >= 2);
        }

        // and the Deployment controller gives up after progressDeadlineSeconds, old pods still serving
        Deployment stuck = deployments
                .withName("api")
                .waitUntilCondition(
                        d -> hasCondition(d, "Progressing", "False", "ProgressDeadlineExceeded"), 90, TimeUnit.SECONDS);
        assertThat(hasCondition(stuck, "Available", "True", null))
                .as("old ReplicaSet still available")
                .isTrue();
    }

    private static String condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .map(PodCondition::getStatus)
                .findFirst()
                .orElse(null);
    }
}
