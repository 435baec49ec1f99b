package dev.rollgate.e2e.demo;

import static dev.rollgate.e2e.demo.Demo.APP_NAMESPACE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.scenario.RollgateStack;
import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.Await;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** What the demo prints: sections, the commands a user would type, notes, the history and a revert's cause. */
final class DemoNarration {
    private DemoNarration() {}

    static void printHistory(JsonNode status, long started) {
        section(String.format(
                "Done in %.0f s. History of clinic (status.history):", (System.nanoTime() - started) / 1e9));
        for (JsonNode h : status.path("history")) {
            System.out.printf(
                    "    %-44s %-11s %s%n",
                    h.path("image").asText(),
                    h.path("result").asText(),
                    h.path("reason").asText(""));
        }
    }

    /** The revert's cause as the status and the Events tell it. */
    static void explainRevert(KubernetesClient admin, RollgateStack stack, JsonNode status) {
        System.out.println();
        note("reverted automatically: both tiers are back on "
                + status.path("image").asText() + " " + stack.app().tierImages());
        ApiDeploymentView.condition(status, "Degraded")
                .ifPresent(c -> note("condition Degraded=" + c.path("status").asText() + " ("
                        + c.path("reason").asText() + "): " + c.path("message").asText()));
        List<Event> events = Await.until(Duration.ofSeconds(10), "the RolledBack event", () -> {
            List<Event> list = admin.v1().events().inNamespace(APP_NAMESPACE).list().getItems().stream()
                    .filter(e -> "ApiDeployment".equals(e.getInvolvedObject().getKind()))
                    .sorted(Comparator.comparing((Event e) -> e.getMetadata().getCreationTimestamp()))
                    .toList();
            return list.stream().anyMatch(e -> "RolledBack".equals(e.getReason()))
                    ? java.util.Optional.of(list)
                    : java.util.Optional.empty();
        });
        note("events (kubectl describe apid clinic -n " + APP_NAMESPACE + "):");
        for (Event e : events) {
            System.out.printf("      %-7s %-17s %s%n", e.getType(), e.getReason(), e.getMessage());
        }
    }

    static void section(String title) {
        System.out.println();
        System.out.println("==> " + title);
    }

    static void command(String line) {
        System.out.println("    $ " + line);
    }

    static void note(String line) {
        System.out.println("    " + line);
    }
}
