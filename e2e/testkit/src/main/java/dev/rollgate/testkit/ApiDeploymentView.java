package dev.rollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code ApiDeployment} as a user sees it: read as plain JSON through the generic client, so
 * that the end-to-end suite depends on the API (rollgate.dev/v1alpha1), not on the operator's Java
 * types — and so that it can live in the test kit, which the operator's own tests depend on. Both
 * suites wait for a rollout by {@link #isSettled}.
 */
public final class ApiDeploymentView {
    public static final String API_VERSION = "rollgate.dev/v1alpha1";
    public static final String KIND = "ApiDeployment";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public ApiDeploymentView(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** The whole object, or a missing node while it does not exist. */
    public JsonNode read() {
        GenericKubernetesResource r = client.genericKubernetesResources(API_VERSION, KIND)
                .inNamespace(namespace)
                .withName(name)
                .get();
        return r == null ? MissingNode.getInstance() : JSON.valueToTree(r);
    }

    public JsonNode status() {
        return read().path("status");
    }

    /** The message of a status condition, e.g. {@code Degraded}; empty if it is not there. */
    public static Optional<JsonNode> condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The container image of each tier's Deployment: {@code clinic-api -> image}. */
    public Map<String, String> tierImages() {
        Map<String, String> images = new LinkedHashMap<>();
        for (String tier : new String[] {"api", "worker"}) {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(name + "-" + tier)
                    .get();
            images.put(
                    name + "-" + tier,
                    d == null
                            ? null
                            : d.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getImage());
        }
        return images;
    }

    /**
     * The one definition of "done" for every cluster test: the status says {@code phase} with
     * {@code image} running, nothing is in flight (no {@code targetImage}), and the operator has seen
     * the latest spec ({@code observedGeneration} caught up). Phase and image alone are not enough:
     * right after a spec change the status still shows the previous rollout's phase and image.
     *
     * @param object the whole ApiDeployment as JSON (metadata and status)
     */
    public static boolean isSettled(JsonNode object, String phase, String image) {
        JsonNode status = object.path("status");
        return phase.equals(status.path("phase").asText())
                && image.equals(status.path("image").asText())
                && status.path("targetImage").asText("").isEmpty()
                && status.path("observedGeneration").asLong()
                        == object.path("metadata").path("generation").asLong();
    }

    /**
     * Waits until the status says {@code phase} with {@code image} running and nothing in flight,
     * printing each change of the status on the way (see {@link PhaseTimeline}); returns the status.
     */
    public JsonNode awaitPhase(String phase, String image, Duration timeout) {
        return awaitPhase(phase, image, timeout, new PhaseTimeline(System.err, "  [" + namespace + "/" + name + "] "));
    }

    /** Like {@link #awaitPhase(String, String, Duration)}, printing the changes on the given timeline. */
    public JsonNode awaitPhase(String phase, String image, Duration timeout, PhaseTimeline timeline) {
        return awaitPhase(phase, image, timeout, timeline, status -> true);
    }

    /** Like {@link #awaitPhase(String, String, Duration, PhaseTimeline)}, and {@code also} holds of the status. */
    public JsonNode awaitPhase(
            String phase,
            String image,
            Duration timeout,
            PhaseTimeline timeline,
            java.util.function.Predicate<JsonNode> also) {
        try {
            return Await.until(
                    timeout, "ApiDeployment " + namespace + "/" + name + " " + phase + " on " + image, () -> {
                        JsonNode object = read();
                        JsonNode status = object.path("status");
                        timeline.observe(object);
                        return isSettled(object, phase, image) && also.test(status)
                                ? Optional.of(status)
                                : Optional.empty();
                    });
        } catch (AssertionError timedOut) {
            throw new AssertionError(timedOut.getMessage() + "; last status: " + status().toPrettyString(), timedOut);
        }
    }
}
