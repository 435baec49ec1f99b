package dev.rollgate.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.AuditEvent;
import dev.rollgate.testkit.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The story Rollgate exists for, installed with Helm and driven the way a user drives it
 * ({@code helm upgrade --set clinic.image=...}): a good rollout, a bad one reverted on its own,
 * and the fix rolled forward.
 */
@EndToEnd
class RolloutLifecycleIT {
    static final String V1 = "rollgate/clinic:1.0.0";
    static final String V1_1 = "rollgate/clinic:1.1.0";
    static final String BROKEN = "rollgate/clinic:1.2.0-crashloop";
    static final String FIXED = "rollgate/clinic:1.2.1";
    static final Duration ROLLOUT = Duration.ofSeconds(60);

    @Test
    void goodRolloutThenABadOneIsRevertedThenTheFixRollsForward(RollgateStack stack) {
        // given the operator chart and the clinic chart installed, the operator running under the chart's
        // ServiceAccount
        Optional<AuditLog.Mark> auditStart = stack.cluster()
                .auditLogPath()
                .map(p -> stack.cluster().auditLog().mark());
        stack.installOperatorChart();
        stack.startOperator("lifecycle");
        stack.installClinic(V1);

        // when the first deploy completes, then both tiers run it
        JsonNode status = stack.app().awaitPhase("Available", V1, ROLLOUT);
        assertThat(status.path("ready").asText()).isEqualTo("3/3");
        assertThat(stack.app().tierImages()).containsOnly(Map.entry("clinic-api", V1), Map.entry("clinic-worker", V1));

        // when a good image is rolled out, then it becomes the running and last known-good image
        stack.rollTo(V1_1);
        status = stack.app().awaitPhase("Available", V1_1, ROLLOUT);
        assertThat(status.path("lastKnownGood").path("image").asText()).isEqualTo(V1_1);
        assertThat(stack.app().tierImages())
                .containsOnly(Map.entry("clinic-api", V1_1), Map.entry("clinic-worker", V1_1));

        // when a crash-looping image is rolled out
        stack.rollTo(BROKEN);

        // then it is reverted on its own: both tiers back on the last known-good image, the failure on record
        status = stack.app().awaitPhase("RolledBack", V1_1, ROLLOUT);
        assertThat(stack.app().tierImages())
                .containsOnly(Map.entry("clinic-api", V1_1), Map.entry("clinic-worker", V1_1));
        assertThat(status.path("failedImage").path("image").asText()).isEqualTo(BROKEN);
        assertThat(status.path("failedImage").path("reason").asText()).isEqualTo("CrashLoopBackOff");
        assertThat(status.path("ready").asText()).isEqualTo("3/3");
        assertThat(ApiDeploymentView.condition(status, "Degraded"))
                .hasValueSatisfying(c -> assertThat(c.path("status").asText()).isEqualTo("True"));
        assertThat(stack.admin()
                        .apps()
                        .deployments()
                        .inNamespace(stack.appNamespace())
                        .list()
                        .getItems())
                .allSatisfy(d -> assertThat(d.getStatus().getUpdatedReplicas())
                        .isEqualTo(d.getSpec().getReplicas()));

        // when the fixed image is rolled out, then it runs, and the history tells the whole story
        stack.rollTo(FIXED);
        status = stack.app().awaitPhase("Available", FIXED, ROLLOUT);
        assertThat(stack.app().tierImages())
                .containsOnly(Map.entry("clinic-api", FIXED), Map.entry("clinic-worker", FIXED));
        assertThat(status.path("lastKnownGood").path("image").asText()).isEqualTo(FIXED);
        assertThat(history(status))
                .containsSubsequence(V1_1 + " Succeeded", BROKEN + " RolledBack", FIXED + " Succeeded");

        // and through all of it the operator never wrote a StatefulSet (where this cluster's audit log is readable)
        auditStart.ifPresent(mark -> {
            List<AuditEvent> writes = stack.cluster().auditLog().eventsSince(mark).stream()
                    .filter(e -> stack.operatorUser().equals(e.effectiveUser()) && "statefulsets".equals(e.resource()))
                    .toList();
            assertThat(writes)
                    .as("writes to StatefulSets by %s", stack.operatorUser())
                    .isEmpty();
            assertThat(stack.cluster().auditLog().eventsSince(mark))
                    .as("the audit log records the operator's own writes")
                    .anyMatch(e -> stack.operatorUser().equals(e.effectiveUser()));
        });
    }

    private static List<String> history(JsonNode status) {
        List<String> entries = new ArrayList<>();
        status.path("history")
                .forEach(h -> entries.add(
                        h.path("image").asText() + " " + h.path("result").asText()));
        return entries;
    }
}
