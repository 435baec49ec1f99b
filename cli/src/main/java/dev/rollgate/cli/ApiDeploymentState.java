package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One ApiDeployment as read from the API server, as plain JSON: the fields this plugin shows and
 * judges, by the names of the CRD ({@code spec.image}, {@code status.phase}, ...). Reading JSON
 * instead of the operator's Java types keeps the plugin independent of the operator's build, and
 * an absent field reads as {@code ""} (or {@code -1} for a generation) instead of failing.
 */
public record ApiDeploymentState(JsonNode object) {

    /** One entry of {@code status.conditions}. */
    public record Condition(String type, String status, String reason, String message) {
        public boolean isTrue() {
            return "True".equals(status);
        }
    }

    public String name() {
        return text(object.path("metadata"), "name");
    }

    /** Where a watch of this object starts. */
    public String resourceVersion() {
        return text(object.path("metadata"), "resourceVersion");
    }

    public long generation() {
        return object.path("metadata").path("generation").asLong(-1);
    }

    /** The generation the operator computed the status from; -1 before its first status write. */
    public long observedGeneration() {
        return status().path("observedGeneration").asLong(-1);
    }

    /**
     * Whether the status speaks of the current spec. Right after {@code kubectl apply} of a new image
     * it does not: the phase and conditions still describe the previous generation.
     */
    public boolean observed() {
        return generation() >= 0 && observedGeneration() == generation() && !abortPending() && !retryPending();
    }

    /** A rollgate.dev/abort value the operator has not handled yet (status.abortHandled). */
    boolean abortPending() {
        String abort = annotation("rollgate.dev/abort");
        return !abort.isEmpty() && !abort.equals(text(status(), "abortHandled"));
    }

    /**
     * A rollgate.dev/retry value newer than the failure of spec.image on record: the operator has
     * not acted on it yet (an annotation changes no generation, so observedGeneration cannot say).
     */
    boolean retryPending() {
        String retry = annotation("rollgate.dev/retry");
        JsonNode failed = failedImage();
        return !retry.isEmpty()
                && desiredImage().equals(text(failed, "image"))
                && !retry.equals(text(failed, "retryToken"));
    }

    private String annotation(String key) {
        return text(object.path("metadata").path("annotations"), key);
    }

    public String phase() {
        return text(status(), "phase");
    }

    /** {@code spec.image}: the image asked for. */
    public String desiredImage() {
        return text(object.path("spec"), "image");
    }

    /** {@code status.image}: what every ready pod of both tiers runs. */
    public String runningImage() {
        return text(status(), "image");
    }

    /** {@code status.targetImage}: set only while a rollout or a revert is in flight. */
    public String targetImage() {
        return text(status(), "targetImage");
    }

    /** {@code status.ready}: ready/desired pods over both tiers, e.g. {@code 3/3}. */
    public String ready() {
        return text(status(), "ready");
    }

    public boolean paused() {
        return object.path("spec").path("rollout").path("paused").asBoolean(false);
    }

    public JsonNode lastKnownGood() {
        return status().path("lastKnownGood");
    }

    public JsonNode failedImage() {
        return status().path("failedImage");
    }

    /** {@code status.history}, newest last as the operator keeps it. */
    public JsonNode history() {
        return status().path("history");
    }

    public Optional<Condition> condition(String type) {
        return conditions().stream().filter(c -> type.equals(c.type())).findFirst();
    }

    public boolean conditionTrue(String type) {
        return condition(type).map(Condition::isTrue).orElse(false);
    }

    public List<Condition> conditions() {
        List<Condition> conditions = new ArrayList<>();
        for (JsonNode c : status().path("conditions")) {
            conditions.add(new Condition(text(c, "type"), text(c, "status"), text(c, "reason"), text(c, "message")));
        }
        return conditions;
    }

    private JsonNode status() {
        return object.path("status");
    }

    /** The text of a field, {@code ""} when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }
}
