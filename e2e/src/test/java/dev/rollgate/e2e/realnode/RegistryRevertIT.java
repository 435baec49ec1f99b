package dev.rollgate.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.scenario.EndToEnd;
import dev.rollgate.e2e.scenario.RollgateStack;
import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.PhaseTimeline;
import dev.rollgate.testkit.RealNode;
import dev.rollgate.testkit.Registry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bug the deploy script existed for, on real components: a tag pushed again between a good
 * rollout and a failing one. The clinic releases are pushed by Jib to the local cluster's OCI
 * registry (bearer-token auth); the real node's containerd pulls them with the credentials of the
 * ApiDeployment's pull secret, and its pods report the digests they really run. The revert must
 * restore the bits that ran when the tag was good, not what the tag names now.
 */
@EndToEnd
class RegistryRevertIT {
    private static final Duration FIRST_INSTALL = Duration.ofMinutes(5);
    private static final Duration ROLLOUT = Duration.ofMinutes(4);
    private static final String SECRET = "regcred";

    static RealNode node;
    static Registry registry;
    static ClinicReleases.Tarballs releases;

    @BeforeAll
    static void pushTheReleases() {
        node = LocalKubernetes.get().assumeRealNode();
        registry = LocalKubernetes.get().assumeRegistry();
        releases = ClinicReleases.tarballs();
    }

    @Test
    void podsMode_theRevertRestoresTheDigestThePodsRanAfterTheTagWasPushedAgain(RollgateStack stack) {
        Pushed pushed = install(stack, "Pods");

        // the ready pods told the operator which bits they run: the registry's digest of 1.0
        JsonNode status = stack.app().status();
        assertThat(status.path("lastKnownGood").path("digest").asText()).isEqualTo(pushed.good);
        assertThat(stack.app().tierImages().values()).containsOnly(pushed.v1);
        assertThat(runningDigests(stack)).containsOnly(pushed.good);
        // and `kubectl get apid -o wide` shows it
        var wide = stack.kubectl().run("get", "apid", "clinic", "-n", stack.appNamespace(), "-o", "wide");
        List<String> lines = wide.stdout().lines().toList();
        assertThat(lines.get(0).split("\\s+")).as("%s", wide).endsWith("AGE", "DIGEST");
        assertThat(lines.get(1)).as("%s", wide).endsWith(pushed.good);

        // when 1.0 is pushed again with other bits, and a release that exits at start is rolled out
        String moved = registry.push(releases.good2(), pushed.repository + ":1.0", false);
        assertThat(moved).isNotEqualTo(pushed.good);
        String v2 = pushed.v1.replace(":1.0", ":2.0");
        registry.push(releases.crash(), pushed.repository + ":2.0", false);
        Instant broken = Instant.now();
        stack.rollOnRealNode(node, v2, values("Pods"));

        // then both tiers go back to the digest that ran, not to what 1.0 names now
        status = stack.app().awaitPhase("RolledBack", pushed.v1, ROLLOUT, timeline(stack));
        System.err.printf(
                "[registry] crash at start -> reverted to the known-good digest: %.1f s%n",
                Duration.between(broken, Instant.now()).toMillis() / 1000.0);
        String pinned = registry.address() + "/" + pushed.repository + "@" + pushed.good;
        assertThat(stack.app().tierImages().values()).containsOnly(pinned);
        assertThat(runningDigests(stack))
                .as("the digests the reverted pods run")
                .containsOnly(pushed.good);
        assertThat(status.path("failedImage").path("image").asText()).isEqualTo(v2);
    }

    @Test
    void registryMode_bothTiersRunTheResolvedDigestAndTheRevertSaysTheTagMoved(RollgateStack stack) {
        Pushed pushed = install(stack, "Registry");

        // the registry named the digest before anything rolled; both tiers run the tag pinned to it
        JsonNode status = stack.app().status();
        assertThat(stack.app().tierImages().values()).containsOnly(pushed.v1 + "@" + pushed.good);
        assertThat(status.path("lastKnownGood").path("digest").asText()).isEqualTo(pushed.good);
        assertThat(runningDigests(stack)).containsOnly(pushed.good);
        assertThat(ApiDeploymentView.condition(status, "ImageResolved")
                        .orElseThrow()
                        .path("status")
                        .asText())
                .isEqualTo("True");

        // when 1.0 moves and a crashing 2.0 is rolled
        String moved = registry.push(releases.good2(), pushed.repository + ":1.0", false);
        String v2 = pushed.v1.replace(":1.0", ":2.0");
        String crash = registry.push(releases.crash(), pushed.repository + ":2.0", true); // an OCI manifest this time
        stack.rollOnRealNode(node, v2, values("Registry"));

        status = stack.app().awaitPhase("RolledBack", pushed.v1, ROLLOUT, timeline(stack));
        assertThat(status.path("failedImage").path("image").asText()).isEqualTo(v2);
        assertThat(status.path("history").toString()).contains(v2);
        String pinned = registry.address() + "/" + pushed.repository + "@" + pushed.good;
        assertThat(stack.app().tierImages().values()).containsOnly(pinned);
        assertThat(runningDigests(stack)).containsOnly(pushed.good);
        // and the Events say that the tag names other bits now
        List<Event> events = stack.admin().v1().events().inNamespace(stack.appNamespace()).list().getItems().stream()
                .filter(e -> "KnownGoodTagMoved".equals(e.getReason()))
                .toList();
        assertThat(events)
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage())
                        .contains(pushed.v1 + " now names " + moved)
                        .contains("not the known-good " + pushed.good));
        System.err.println("[registry] " + events.get(0).getMessage() + " (the crashing 2.0 was " + crash + ")");
    }

    /** What {@link #install} pushed: the repository (under the registry), 1.0's reference and digest. */
    private record Pushed(String repository, String v1, String good) {}

    /** Pushes the good release as 1.0 to a repository of this test and installs clinic on it. */
    private Pushed install(RollgateStack stack, String resolution) {
        String repository = stack.appNamespace() + "/clinic";
        String good = registry.push(releases.good(), repository + ":1.0", false);
        String v1 = registry.address() + "/" + repository + ":1.0";
        stack.admin()
                .resource(registry.pullSecret(stack.appNamespace(), SECRET))
                .create();
        // Registry mode reads the pull secret: the chart's opt-in grant (get on Secrets) is needed
        stack.installOperatorChart(
                "Registry".equals(resolution)
                        ? Map.of("imageResolution", Map.of("pullSecrets", Map.of("enabled", true)))
                        : Map.of());
        stack.startOperator("registry-" + resolution.toLowerCase());
        stack.installClinicOnRealNode(node, v1, values(resolution));
        stack.app().awaitPhase("Available", v1, FIRST_INSTALL, timeline(stack));
        return new Pushed(repository, v1, good);
    }

    private static Map<String, Object> values(String resolution) {
        return Map.of(
                "imagePullSecrets", List.of(Map.of("name", SECRET)),
                "rollout", Map.of("minReadySeconds", 2, "timeoutSeconds", 300, "imageResolution", resolution));
    }

    /** The digests the clinic tiers' live, ready pods report in containerStatuses[].imageID. */
    private static List<String> runningDigests(RollgateStack stack) {
        return stack.clinicTierPods().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && ready(p))
                .map(p -> p.getStatus().getContainerStatuses().get(0).getImageID())
                .map(id -> id.substring(id.indexOf('@') + 1))
                .distinct()
                .toList();
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null
                && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static PhaseTimeline timeline(RollgateStack stack) {
        return new PhaseTimeline(System.err, "  [registry " + stack.appNamespace() + "] ");
    }
}
