package dev.rollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** An ApiDeployment as the API server would serve it, built up field by field for a test. */
final class ApiDeploymentJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode object = JSON.createObjectNode();

    /** generation 1, spec.image {@code image}, and an empty status. */
    static ApiDeploymentJson named(String name, String image) {
        ApiDeploymentJson json = new ApiDeploymentJson();
        json.object.put("apiVersion", "rollgate.dev/v1alpha1").put("kind", "ApiDeployment");
        json.object.putObject("metadata").put("name", name).put("generation", 1);
        json.object.putObject("spec").put("image", image);
        json.object.putObject("status");
        return json;
    }

    /** metadata.annotations[key] = value. */
    ApiDeploymentJson annotation(String key, String value) {
        ((ObjectNode) object.get("metadata")).with("annotations").put(key, value);
        return this;
    }

    /** A status field the other builders do not set, e.g. abortHandled. */
    ApiDeploymentJson statusField(String field, String value) {
        status().put(field, value);
        return this;
    }

    /** status.failedImage.retryToken (after failedImage). */
    ApiDeploymentJson failedRetryToken(String token) {
        ((ObjectNode) status().get("failedImage")).put("retryToken", token);
        return this;
    }

    ApiDeploymentJson generation(long generation) {
        ((ObjectNode) object.get("metadata")).put("generation", generation);
        return this;
    }

    /** status.observedGeneration = metadata.generation, phase, status.image and ready. */
    ApiDeploymentJson observed(String phase, String running, String ready) {
        status().put(
                        "observedGeneration",
                        object.get("metadata").get("generation").asLong());
        status().put("phase", phase).put("image", running).put("ready", ready);
        return this;
    }

    ApiDeploymentJson observedGeneration(long generation) {
        status().put("observedGeneration", generation);
        return this;
    }

    ApiDeploymentJson target(String image) {
        status().put("targetImage", image);
        return this;
    }

    ApiDeploymentJson condition(String type, String status, String reason, String message) {
        statusList("conditions")
                .addObject()
                .put("type", type)
                .put("status", status)
                .put("reason", reason)
                .put("message", message);
        return this;
    }

    ApiDeploymentJson failedImage(String image, String reason, String message) {
        status().putObject("failedImage")
                .put("image", image)
                .put("reason", reason)
                .put("message", message)
                .put("at", "2026-01-05T10:05:12Z");
        return this;
    }

    ApiDeploymentJson lastKnownGood(String image) {
        status().putObject("lastKnownGood").put("image", image).put("since", "2026-01-05T10:00:41Z");
        return this;
    }

    ApiDeploymentJson history(String image, String result, String startedAt, String finishedAt, String reason) {
        statusList("history")
                .addObject()
                .put("image", image)
                .put("result", result)
                .put("startedAt", startedAt)
                .put("finishedAt", finishedAt)
                .put("reason", reason);
        return this;
    }

    ApiDeploymentState state() {
        return new ApiDeploymentState(object.deepCopy());
    }

    GenericKubernetesResource resource() {
        return JSON.convertValue(object, GenericKubernetesResource.class);
    }

    private ArrayNode statusList(String field) {
        return status().has(field) ? (ArrayNode) status().get(field) : status().putArray(field);
    }

    private ObjectNode status() {
        return (ObjectNode) object.get("status");
    }
}
