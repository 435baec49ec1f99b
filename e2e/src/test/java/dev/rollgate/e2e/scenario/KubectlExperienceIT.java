package dev.rollgate.e2e.scenario;

import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.BROKEN;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.ROLLOUT;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.Kubectl;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a user sees through a real kubectl: columns, wait, explain, describe with the Events. */
@EndToEnd
class KubectlExperienceIT {

    @Test
    void kubectlShowsWaitsForExplainsAndDescribesAnApiDeployment(RollgateStack stack) {
        // given the operator running under the chart's ServiceAccount and the clinic just installed
        stack.installOperatorChart();
        stack.startOperator("kubectl");
        stack.installClinic(V1);
        Kubectl kubectl = stack.kubectl();
        String ns = stack.appNamespace();

        // when a user waits for it, then kubectl returns once the first rollout is Available
        Kubectl.Result wait =
                kubectl.run("wait", "--for=condition=Available", "apid/clinic", "-n", ns, "--timeout=60s");
        assertThat(wait.exitCode()).as("%s", wait).isZero();
        assertThat(wait.stdout()).contains("apideployment.rollgate.dev/clinic condition met");

        // then `kubectl get apid` shows the desired and running image, the phase and the ready count
        List<String> available = getApid(kubectl, ns);
        assertThat(available).containsExactly("clinic", V1, V1, "Available", "3/3");

        // when a crash-looping image is rolled out and reverted
        stack.rollTo(BROKEN);
        stack.app().awaitPhase("RolledBack", V1, ROLLOUT);

        // then `kubectl get apid` shows the image asked for next to the image still running
        assertThat(getApid(kubectl, ns)).containsExactly("clinic", BROKEN, V1, "RolledBack", "3/3");

        // and `kubectl describe` tells the story in Events: started, failed, reverted
        Kubectl.Result describe =
                Await.until(Duration.ofSeconds(20), "the RolledBack event in kubectl describe", () -> {
                    Kubectl.Result r = kubectl.run("describe", "apid", "clinic", "-n", ns);
                    return r.stdout().contains("RolledBack  ") ? Optional.of(r) : Optional.empty();
                });
        String events = describe.stdout().substring(describe.stdout().indexOf("Events:"));
        assertThat(events).containsPattern("Normal\\s+RolloutStarted\\s");
        assertThat(events).containsPattern("Warning\\s+RolloutFailed\\s.*" + BROKEN.replace(".", "\\."));
        assertThat(events).containsPattern("Warning\\s+RolledBack\\s");

        // and `kubectl explain` documents the rollout policy, field by field
        Kubectl.Result explain = Await.until(Duration.ofSeconds(30), "the CRD's schema in kubectl explain", () -> {
            Kubectl.Result r = kubectl.run("explain", "apideployment.spec.rollout");
            return r.succeeded() ? Optional.of(r) : Optional.empty();
        });
        assertThat(explain.stdout()).contains("GROUP:      rollgate.dev", "KIND:       ApiDeployment", "FIELDS:");
        for (String field : List.of("timeoutSeconds", "minReadySeconds", "failFast", "onFailure", "paused")) {
            assertThat(explain.stdout())
                    .as("kubectl explain apideployment.spec.rollout\n%s", explain.stdout())
                    .containsPattern("(?m)^  " + field + "\\s+<\\w+>\\n\\s+\\S");
        }
    }

    /**
     * {@code kubectl get apid clinic}: checks the header, returns the row's values without AGE.
     * The columns are NAME DESIRED RUNNING PHASE READY AGE.
     */
    private static List<String> getApid(Kubectl kubectl, String ns) {
        Kubectl.Result get = kubectl.run("get", "apid", "clinic", "-n", ns);
        assertThat(get.exitCode()).as("%s", get).isZero();
        List<String> lines = get.stdout().lines().toList();
        assertThat(lines).as("%s", get).hasSize(2);
        assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "DESIRED", "RUNNING", "PHASE", "READY", "AGE");
        List<String> row = List.of(lines.get(1).split("\\s+"));
        assertThat(row).hasSize(6);
        return row.subList(0, 5);
    }
}
