package dev.rollgate.e2e.scenario;

import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.BROKEN;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.ROLLOUT;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.V1;
import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.V1_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.Kubectl;
import dev.rollgate.testkit.PhaseTimeline;
import dev.rollgate.testkit.SourceTree;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl rollgate}, the plugin built by {@code cli/} ({@code cli/target/kubectl-rollgate}),
 * found by a real kubectl on PATH and run against the real operator, as a CI job runs it: status
 * --watch exits 0 on a rollout, 1 on a revert, 2 on a timeout; history, retry, pause, resume and
 * abort do what they say.
 */
@EndToEnd
class KubectlRollgatePluginIT {
    /** Never ready (KWOK's -unready rule): a rollout that only a deadline or an abort ends. */
    static final String SLOW = "rollgate/clinic:1.3.0-unready";
    /** The plugin's directory, put first on kubectl's PATH. */
    static final Path PLUGIN_DIR = SourceTree.root().resolve("cli/target");

    static final Duration WATCH_LIMIT = Duration.ofMinutes(3);

    @Test
    void ciWaitsForRolloutsAndSteersThemWithKubectlRollgate(RollgateStack stack) {
        // given the operator, the clinic on V1, and the plugin where kubectl looks for plugins
        assertThat(PLUGIN_DIR.resolve("kubectl-rollgate"))
                .as("built by ./mvnw -pl cli package")
                .isExecutable();
        stack.installOperatorChart();
        stack.startOperator("kubectl-rollgate");
        stack.installClinic(V1);
        String ns = stack.appNamespace();
        Kubectl.Result plugins = kubectl(stack, "plugin", "list");
        assertThat(plugins.stdout())
                .as("%s", plugins)
                .contains(PLUGIN_DIR.resolve("kubectl-rollgate").toString());
        assertThat(plugins.stderr()).as("%s", plugins).doesNotContain("kubectl-rollgate");

        // when the first install is followed, then status --watch exits 0 once it is rolled out
        Kubectl.Result installed = rollgate(stack, "status", "clinic", "-n", ns, "--watch", "--timeout", "2m");
        assertThat(installed.exitCode()).as("%s", installed).isZero();
        assertThat(lastLine(installed)).isEqualTo("apideployment \"clinic\" rolled out on " + V1);

        // when a good image is rolled out, then the timeline follows it to exit 0
        stack.rollTo(V1_1);
        Kubectl.Result good = rollgate(stack, "status", "clinic", "-n", ns, "--watch", "--timeout", "2m");
        assertThat(good.exitCode()).as("%s", good).isZero();
        List<String> timeline = good.stdout().lines().toList();
        assertThat(timeline).hasSizeGreaterThan(1);
        assertThat(timeline.subList(0, timeline.size() - 1))
                .allSatisfy(line -> assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d +\\+\\d+\\.\\ds  \\S+ +ready .*"));
        assertThat(lastLine(good)).isEqualTo("apideployment \"clinic\" rolled out on " + V1_1);

        // when the crash-looping image is rolled out, then status --watch exits 1 with the revert's cause
        stack.rollTo(BROKEN);
        Kubectl.Result broken = rollgate(stack, "status", "clinic", "-n", ns, "--watch", "--timeout", "2m");
        assertThat(broken.exitCode()).as("%s", broken).isEqualTo(1);
        assertThat(lastLine(broken))
                .startsWith("apideployment \"clinic\" rolled back to " + V1_1 + ": CrashLoopBackOff: ");

        // and history lists the rollouts, oldest first
        Kubectl.Result history = rollgate(stack, "history", "clinic", "-n", ns);
        assertThat(history.exitCode()).as("%s", history).isZero();
        List<String> rows = history.stdout().lines().toList();
        assertThat(rows.get(0).split("\\s+"))
                .containsExactly("STARTED", "FINISHED", "DURATION", "IMAGE", "RESULT", "REASON");
        assertThat(rows).anyMatch(r -> r.matches(".*\\s" + quote(V1_1) + "\\s+Succeeded\\s.*"));
        assertThat(rows.get(rows.size() - 1)).matches(".*\\s" + quote(BROKEN) + "\\s+RolledBack(\\s.*)?");

        // when the failed image is retried, then the annotation carries a new token and the operator tries it again
        Kubectl.Result retry = rollgate(stack, "retry", "clinic", "-n", ns);
        assertThat(retry.stdout()).as("%s", retry).isEqualTo("apideployment.rollgate.dev/clinic retry requested\n");
        String token = stack.app()
                .read()
                .path("metadata")
                .path("annotations")
                .path("rollgate.dev/retry")
                .asText();
        assertThat(token).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
        stack.app()
                .awaitPhase(
                        "RolledBack",
                        V1_1,
                        ROLLOUT,
                        new PhaseTimeline(System.err, "  [retry] "),
                        status -> token.equals(
                                status.path("failedImage").path("retryToken").asText()));

        // when paused and resumed, then spec.rollout.paused flips
        Kubectl.Result pause = rollgate(stack, "pause", "clinic", "-n", ns);
        assertThat(pause.stdout()).as("%s", pause).isEqualTo("apideployment.rollgate.dev/clinic paused\n");
        assertThat(paused(stack)).isTrue();
        Kubectl.Result resume = rollgate(stack, "resume", "clinic", "-n", ns);
        assertThat(resume.stdout()).as("%s", resume).isEqualTo("apideployment.rollgate.dev/clinic resumed\n");
        assertThat(paused(stack)).isFalse();

        // when an image that never gets ready is rolled with a 10-minute deadline
        stack.helm()
                .upgrade(
                        RollgateStack.CLINIC_RELEASE,
                        RollgateStack.CLINIC_CHART,
                        ns,
                        Map.of(
                                "clinic",
                                Map.of("image", SLOW, "rollout", Map.of("minReadySeconds", 1, "timeoutSeconds", 600))));
        Await.until(
                ROLLOUT,
                "the rollout to " + SLOW + " in flight",
                () -> SLOW.equals(stack.app().status().path("targetImage").asText()));

        // then a short --timeout ends status --watch with exit code 2
        Kubectl.Result timedOut = rollgate(stack, "status", "clinic", "-n", ns, "--watch", "--timeout", "3s");
        assertThat(timedOut.exitCode()).as("%s", timedOut).isEqualTo(2);
        assertThat(timedOut.stderr())
                .startsWith("error: timed out after 3s waiting for apideployment \"clinic\" to roll out " + SLOW);

        // when it is aborted, then both tiers go back to the last known-good image long before the deadline
        Kubectl.Result abort = rollgate(stack, "abort", "clinic", "-n", ns);
        assertThat(abort.stdout())
                .as("%s", abort)
                .isEqualTo("apideployment.rollgate.dev/clinic abort requested (back to " + V1_1 + ")\n");
        Kubectl.Result aborted = rollgate(stack, "status", "clinic", "-n", ns, "--watch", "--timeout", "2m");
        assertThat(aborted.exitCode()).as("%s", aborted).isEqualTo(1);
        assertThat(lastLine(aborted)).startsWith("apideployment \"clinic\" rolled back to " + V1_1 + ": Aborted");
        JsonNode status = stack.app().awaitPhase("RolledBack", V1_1, ROLLOUT);
        assertThat(status.path("failedImage").path("image").asText()).isEqualTo(SLOW);
        assertThat(status.path("failedImage").path("reason").asText()).isEqualTo("Aborted");
        assertThat(stack.app().tierImages())
                .containsOnly(Map.entry("clinic-api", V1_1), Map.entry("clinic-worker", V1_1));

        // and once nothing is in flight, abort says so and exits 1
        Kubectl.Result nothing = rollgate(stack, "abort", "clinic", "-n", ns);
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.stderr()).isEqualTo("error: apideployment \"clinic\" has no rollout in flight\n");
    }

    /** {@code kubectl rollgate <args>}, printed to the test log as it ran. */
    private static Kubectl.Result rollgate(RollgateStack stack, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "rollgate";
        System.arraycopy(args, 0, all, 1, args.length);
        return kubectl(stack, all);
    }

    private static Kubectl.Result kubectl(RollgateStack stack, String... args) {
        Kubectl.Result result = stack.kubectl().plugin(PLUGIN_DIR, WATCH_LIMIT, args);
        System.err.println(result);
        return result;
    }

    private static String lastLine(Kubectl.Result result) {
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).as("%s", result).isNotEmpty();
        return lines.get(lines.size() - 1);
    }

    private static boolean paused(RollgateStack stack) {
        return stack.app().read().path("spec").path("rollout").path("paused").asBoolean();
    }

    private static String quote(String image) {
        return Pattern.quote(image);
    }
}
