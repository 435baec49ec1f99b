package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.image.Resolution;
import dev.rollgate.operator.rollout.Reasons;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorIdentity;
import dev.rollgate.testkit.OperatorProcess;
import dev.rollgate.testkit.Registry;
import dev.rollgate.testkit.RollgateCrd;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * imageResolution Registry against a real OCI registry (e2e/cluster/registry: bearer-token and
 * basic-auth challenges), started by this test so that it can stop it; images pushed by Jib. The
 * operator runs with the chart's RBAC rendered with {@code imageResolution.pullSecrets.enabled}.
 * Pods are simulated (KWOK): what matters here is what the operator asks and applies.
 */
class ImageResolutionIT extends OperatorTestBase {
    private static final String RELEASE = "rollgate-registry";
    private static final String SECRET = "regcred";
    private static Registry registry;

    @BeforeAll
    static void start() throws Exception {
        client = LocalKubernetes.get().client();
        RollgateCrd.ensureInstalled(client);
        identity = OperatorIdentity.install(client, RELEASE, Map.of("imageResolution.pullSecrets.enabled", true));
        operator = OperatorProcess.start(identity.kubeconfig(), "image-resolution", Map.of());
        registry = Registry.start(Files.createTempDirectory("rollgate-registry-it"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        stopSharedOperator();
    }

    @Test
    void bothTiersRunTheDigestTheTagNamedWhenTheRolloutStartedEvenIfItMovesMidRollout() {
        try (Scenario s = scenario("resolve-moved")) {
            String v1 = registry.address() + "/moved:1.0";
            String v2 = registry.address() + "/moved:2.0";
            String d1 = registry.pushScratch("moved:1.0", "release 1.0", true); // an OCI manifest
            String d2 = registry.pushScratch("moved:2.0", "release 2.0", false); // a Docker v2 manifest
            withPullSecret(s);
            s.create(v1, spec -> {
                spec.rollout.imageResolution = ImageResolution.Registry;
                spec.rollout.minReadySeconds = 3;
                spec.imagePullSecrets = List.of(new LocalObjectReference(SECRET));
            });
            ApiDeploymentStatus st = s.awaitAvailableOn(v1, Duration.ofSeconds(60));
            s.assertBothTiersOn(v1 + "@" + d1);
            assertThat(st.lastKnownGood.digest).isEqualTo(d1);
            assertThat(condition(st, Reasons.IMAGE_RESOLVED).getStatus()).isEqualTo("True");

            s.setImage(v2);
            s.await("rolling to 2.0 pinned", Duration.ofSeconds(30), x -> (v2 + "@" + d2).equals(x.targetImage));
            // the tag moves while the rollout is in flight
            String d2moved = registry.pushScratch("moved:2.0", "release 2.0, pushed again", false);
            assertThat(d2moved).isNotEqualTo(d2);

            st = s.awaitAvailableOn(v2, Duration.ofSeconds(60));
            s.assertBothTiersOn(v2 + "@" + d2);
            assertThat(st.lastKnownGood.digest).isEqualTo(d2);
            assertThat(st.history).last().satisfies(h -> {
                assertThat(h.image).isEqualTo(v2);
                assertThat(h.digest).isEqualTo(d2);
            });
        }
    }

    @Test
    void aRegistryThatIsDownHoldsTheRolloutAndItStartsOnceTheRegistryAnswers() throws Exception {
        try (Scenario s = scenario("resolve-down")) {
            String v1 = registry.address() + "/down:1.0";
            String v2 = registry.address() + "/down:2.0";
            String d1 = registry.pushScratch("down:1.0", "release 1.0", false);
            withPullSecret(s);
            s.create(v1, spec -> {
                spec.rollout.imageResolution = ImageResolution.Registry;
                spec.imagePullSecrets = List.of(new LocalObjectReference(SECRET));
            });
            s.awaitAvailableOn(v1, Duration.ofSeconds(60));

            registry.stop();
            try {
                s.setImage(v2);
                ApiDeploymentStatus st = s.await(
                        "held: the registry is down",
                        Duration.ofSeconds(30),
                        x -> x.phase == Phase.Pending && x.imageResolution != null);
                Condition resolved = condition(st, Reasons.IMAGE_RESOLVED);
                assertThat(resolved.getStatus()).isEqualTo("False");
                assertThat(resolved.getReason()).isEqualTo(Resolution.REGISTRY_UNAVAILABLE);
                assertThat(resolved.getMessage()).contains("cannot connect to http://" + registry.address());
                assertThat(condition(st, Reasons.PROGRESSING).getMessage()).contains("Not rolling to " + v2);
                assertThat(s.events()).anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo(Resolution.REGISTRY_UNAVAILABLE);
                });
                // nothing was rolled, and more attempts do not change that
                s.await(
                        "a second attempt",
                        Duration.ofSeconds(30),
                        x -> x.imageResolution != null && x.imageResolution.failures >= 2);
                s.assertBothTiersOn(v1 + "@" + d1);
                assertThat(s.events().stream()
                                .filter(e -> Resolution.REGISTRY_UNAVAILABLE.equals(e.getReason()))
                                .mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
                                .sum())
                        .as("one Event per message, not per attempt")
                        .isEqualTo(1);
            } finally {
                registry.restart();
            }
            // a restarted registry has lost its tags: the build pushes 2.0 again
            String d2 = registry.pushScratch("down:2.0", "release 2.0", false);
            ApiDeploymentStatus st = s.awaitAvailableOn(v2, Duration.ofSeconds(90));
            s.assertBothTiersOn(v2 + "@" + d2);
            assertThat(st.imageResolution).isNull();
            assertThat(condition(st, Reasons.IMAGE_RESOLVED).getStatus()).isEqualTo("True");
        }
    }

    @Test
    void wrongCredentialsAreReportedWithTheRegistrysWordsAndNothingIsRolled() {
        try (Scenario s = scenario("resolve-creds")) {
            String v1 = registry.address() + "/creds:1.0";
            registry.pushScratch("creds:1.0", "release 1.0", false);
            client.resource(registry.pullSecret(s.namespace, SECRET, registry.username(), "not-the-password"))
                    .create();
            s.create(v1, spec -> {
                spec.rollout.imageResolution = ImageResolution.Registry;
                spec.imagePullSecrets = List.of(new LocalObjectReference(SECRET));
            });
            ApiDeploymentStatus st =
                    s.await("held: credentials refused", Duration.ofSeconds(30), x -> x.phase == Phase.Pending);
            Condition resolved = condition(st, Reasons.IMAGE_RESOLVED);
            assertThat(resolved.getReason()).isEqualTo(Resolution.REGISTRY_UNAUTHORIZED);
            assertThat(resolved.getMessage())
                    .contains("token service")
                    .contains("as " + registry.username())
                    .contains("incorrect username or password");
            assertThat(s.deployment("api"))
                    .as("nothing rolled: not even a first install")
                    .isNull();

            // the user fixes the Secret: the next attempt (backoff) resolves it
            client.resource(registry.pullSecret(s.namespace, SECRET)).update();
            s.awaitAvailableOn(v1, Duration.ofSeconds(60));
        }
    }

    @Test
    void aBasicAuthRegistryAndAMissingCredentialAreAnsweredToo() {
        try (Scenario s = scenario("resolve-basic")) {
            String pushed = registry.pushScratch("basic:1.0", "release 1.0", false);
            String v1 = registry.basicAddress() + "/basic:1.0";
            s.create(v1, spec -> spec.rollout.imageResolution = ImageResolution.Registry);
            ApiDeploymentStatus st =
                    s.await("held: no credentials", Duration.ofSeconds(30), x -> x.phase == Phase.Pending);
            assertThat(condition(st, Reasons.IMAGE_RESOLVED).getMessage())
                    .contains(registry.basicAddress()
                            + " requires credentials, and the Secrets of spec.imagePullSecrets give none for it");

            withPullSecret(s);
            s.cr().edit(cr -> {
                cr.getSpec().imagePullSecrets = List.of(new LocalObjectReference(SECRET));
                return cr;
            });
            s.awaitAvailableOn(v1, Duration.ofSeconds(60));
            s.assertBothTiersOn(v1 + "@" + pushed);
        }
    }

    private void withPullSecret(Scenario s) {
        client.resource(registry.pullSecret(s.namespace, SECRET)).create();
    }

    private static Condition condition(ApiDeploymentStatus st, String type) {
        return st.conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + st.conditions));
    }
}
