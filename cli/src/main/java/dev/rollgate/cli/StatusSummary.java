package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code status NAME} prints without {@code --watch}: the images (asked for, running, in
 * flight), the ready pods, the conditions a person or a kstatus tool reads, the known-good and the
 * failed image, and last the outcome line. In the style of {@code kubectl describe}:
 *
 * <pre>
 * Name:           web
 * Namespace:      prod
 * Phase:          Progressing
 * Desired image:  rollgate/clinic:1.2.0
 * Running image:  rollgate/clinic:1.1.0
 * Target image:   rollgate/clinic:1.2.0
 * Ready pods:     3/3
 * Generation:     7 (observed 7)
 * Known good:     rollgate/clinic:1.1.0 (sha256:4f1c...)
 * Conditions:
 *   TYPE          STATUS   REASON              MESSAGE
 *   Ready         False    RolloutInProgress   ...
 * apideployment "web" rolling out rollgate/clinic:1.2.0: phase Progressing, ready 3/3
 * </pre>
 */
public final class StatusSummary {
    /** The conditions shown first, in this order; any others follow in the status' order. */
    private static final List<String> FIRST =
            List.of("Ready", "Reconciling", "Stalled", "Progressing", "Degraded", "Available");

    private StatusSummary() {}

    public static String render(ApiDeploymentState state, String namespace) {
        StringBuilder out = new StringBuilder();
        field(out, "Name", state.name());
        field(out, "Namespace", namespace);
        field(out, "Phase", state.phase());
        field(out, "Desired image", state.desiredImage());
        field(out, "Running image", state.runningImage());
        field(out, "Target image", state.targetImage());
        field(out, "Ready pods", state.ready());
        field(out, "Generation", state.generation() + " (observed " + state.observedGeneration() + ")");
        if (state.paused()) {
            field(out, "Paused", "true (spec.rollout.paused: nothing changes until kubectl rollgate resume)");
        }
        field(out, "Known good", knownGood(state.lastKnownGood()));
        failedImage(state.failedImage()).ifPresent(failed -> field(out, "Failed image", failed));
        out.append("Conditions:\n");
        Table table = new Table("TYPE", "STATUS", "REASON", "MESSAGE");
        ordered(state.conditions()).forEach(c -> table.row(c.type(), c.status(), c.reason(), c.message()));
        table.render().lines().forEach(line -> out.append("  ").append(line).append('\n'));
        out.append(OutcomeSentence.of(state, RolloutOutcome.of(state))).append('\n');
        return out.toString();
    }

    /** {@code <image> at <time>: <reason>: <message>}, when there is a failed image. */
    private static Optional<String> failedImage(JsonNode failed) {
        String image = ApiDeploymentState.text(failed, "image");
        if (image.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(image + " at " + ApiDeploymentState.text(failed, "at") + ": "
                + OutcomeSentence.join(
                        ApiDeploymentState.text(failed, "reason"), ApiDeploymentState.text(failed, "message")));
    }

    private static String knownGood(JsonNode lastKnownGood) {
        String image = ApiDeploymentState.text(lastKnownGood, "image");
        String digest = ApiDeploymentState.text(lastKnownGood, "digest");
        return digest.isEmpty() ? image : image + " (" + digest + ")";
    }

    static List<ApiDeploymentState.Condition> ordered(List<ApiDeploymentState.Condition> conditions) {
        List<ApiDeploymentState.Condition> ordered = new ArrayList<>();
        FIRST.forEach(
                type -> conditions.stream().filter(c -> type.equals(c.type())).forEach(ordered::add));
        conditions.stream().filter(c -> !FIRST.contains(c.type())).forEach(ordered::add);
        return ordered;
    }

    private static void field(StringBuilder out, String label, String value) {
        out.append(String.format("%-16s%s", label + ":", value.isEmpty() ? "<none>" : value))
                .append('\n');
    }
}
