package dev.rollgate.cli;

import static dev.rollgate.cli.RolloutOutcomeTest.NEW;
import static dev.rollgate.cli.RolloutOutcomeTest.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * retry, abort, pause, resume and history against a mock API server: the merge patch each one
 * sends, what it prints, and kubectl's NotFound error with exit code 1.
 */
class RequestCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    @Test
    void aMissingApiDeploymentIsReportedAsKubectlDoesWithExitCode1() {
        for (String command : new String[] {"status", "history", "retry", "abort", "pause", "resume"}) {
            MockCluster.Result result = cluster.rollgate(command, "nope");
            assertThat(result.exitCode()).as(command).isEqualTo(1);
            assertThat(result.err())
                    .as(command)
                    .isEqualTo("Error from server (NotFound): apideployments.rollgate.dev \"nope\" not found\n");
            assertThat(result.out()).as(command).isEmpty();
        }
    }

    @Test
    void retrySetsANewRetryTokenAndRemovesTheAbortInOneMergePatch() throws Exception {
        ApiDeploymentJson web = ApiDeploymentJson.named("web", NEW).observed("RolledBack", OLD, "3/3");
        cluster.create("prod", web);
        cluster.resource("prod", "web").edit(r -> {
            r.getMetadata().setAnnotations(Map.of(ApiDeployments.ABORT_ANNOTATION, NEW, "team", "payments"));
            return r;
        });

        MockCluster.Result result = cluster.rollgate("retry", "web");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("apideployment.rollgate.dev/web retry requested\n");
        MockCluster.Request patch = cluster.lastRequest();
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.path()).isEqualTo("/apis/rollgate.dev/v1alpha1/namespaces/prod/apideployments/web");
        assertThat(patch.contentType()).startsWith("application/merge-patch+json");
        assertThat(JSON.readTree(patch.body()))
                .isEqualTo(JSON.readTree(
                        "{\"metadata\":{\"annotations\":{\"rollgate.dev/retry\":\"2026-01-05T10:00:00.123456789Z\","
                                + "\"rollgate.dev/abort\":null}}}"));
        // the mock keeps a key merged with null (an API server removes it): the body above is what counts
        Map<String, String> annotations =
                cluster.get("prod", "web").getMetadata().getAnnotations();
        assertThat(annotations)
                .containsEntry(ApiDeployments.RETRY_ANNOTATION, "2026-01-05T10:00:00.123456789Z")
                .containsEntry("team", "payments");
        assertThat(annotations.get(ApiDeployments.ABORT_ANNOTATION)).isNull();
    }

    @Test
    void abortWritesANewTokenAndSaysWhereItGoesBack() throws Exception {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("Progressing", OLD, "3/3")
                        .target(NEW)
                        .lastKnownGood(OLD));

        MockCluster.Result result = cluster.rollgate("abort", "web");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).isEqualTo("apideployment.rollgate.dev/web abort requested (back to " + OLD + ")\n");
        assertThat(JSON.readTree(cluster.lastRequest().body()))
                .isEqualTo(JSON.readTree("{\"metadata\":{\"annotations\":{\"rollgate.dev/abort\":"
                        + "\"2026-01-05T10:00:00.123456789Z\"}}}"));
        assertThat(cluster.get("prod", "web").getMetadata().getAnnotations())
                .containsEntry(ApiDeployments.ABORT_ANNOTATION, "2026-01-05T10:00:00.123456789Z");
    }

    @Test
    void abortWithNoRolloutInFlightWritesNothingAndExits1() throws Exception {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("RolledBack", OLD, "3/3")
                        .lastKnownGood(OLD));

        MockCluster.Result result = cluster.rollgate("abort", "web");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: apideployment \"web\" has no rollout in flight\n");
        assertThat(cluster.lastRequest().method()).isEqualTo("GET");
        assertThat(cluster.get("prod", "web").getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void pauseAndResumeMergePatchSpecRolloutPaused() throws Exception {
        cluster.create("prod", ApiDeploymentJson.named("web", NEW).observed("Available", NEW, "3/3"));

        MockCluster.Result paused = cluster.rollgate("pause", "web");
        assertThat(paused.out()).isEqualTo("apideployment.rollgate.dev/web paused\n");
        assertThat(JSON.readTree(cluster.lastRequest().body()))
                .isEqualTo(JSON.readTree("{\"spec\":{\"rollout\":{\"paused\":true}}}"));
        assertThat(spec(cluster).path("rollout").path("paused").asBoolean()).isTrue();
        assertThat(spec(cluster).path("image").asText()).isEqualTo(NEW);

        MockCluster.Result resumed = cluster.rollgate("resume", "web");
        assertThat(resumed.out()).isEqualTo("apideployment.rollgate.dev/web resumed\n");
        assertThat(spec(cluster).path("rollout").path("paused").asBoolean()).isFalse();
        assertThat(paused.exitCode() + resumed.exitCode()).isZero();
    }

    @Test
    void historyPrintsTheTableAndSaysSoWhenThereIsNone() {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("Available", NEW, "3/3")
                        .history(NEW, "Succeeded", "2026-01-05T10:00:00Z", "2026-01-05T10:00:41Z", "RolloutSucceeded"));
        cluster.create("prod", ApiDeploymentJson.named("fresh", NEW));

        MockCluster.Result history = cluster.rollgate("history", "web");
        assertThat(history.exitCode()).isZero();
        assertThat(history.outLines())
                .containsExactly(
                        "STARTED                FINISHED               DURATION   IMAGE                   RESULT      REASON",
                        "2026-01-05T10:00:00Z   2026-01-05T10:00:41Z   41s        " + NEW
                                + "   Succeeded   RolloutSucceeded");

        MockCluster.Result none = cluster.rollgate("history", "fresh");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("No rollouts recorded yet for apideployment \"fresh\" in prod namespace.\n");
    }

    @Test
    void theNamespaceComesFromTheFlagElseFromTheContextBeforeOrAfterTheCommand() {
        cluster.create("prod", ApiDeploymentJson.named("web", NEW));
        cluster.create("staging", ApiDeploymentJson.named("web", OLD));

        assertThat(cluster.rollgate("status", "web").out()).contains("Namespace:      prod");
        assertThat(cluster.rollgate("status", "web", "-n", "staging").out()).contains("Namespace:      staging");
        assertThat(cluster.rollgate("--namespace", "staging", "status", "web").out())
                .contains("Desired image:  " + OLD);
        assertThat(cluster.rollgate("--context", "other", "status", "web").out())
                .contains("Namespace:      staging");

        MockCluster.Result noSuchContext = cluster.rollgate("status", "web", "--context", "elsewhere");
        assertThat(noSuchContext.exitCode()).isEqualTo(1);
        assertThat(noSuchContext.err()).isEqualTo("error: context was not found for specified context: elsewhere\n");
    }

    @Test
    void anUnreachableServerIsSaidSoAtOnceWithExitCode1() {
        cluster.close();

        MockCluster.Result result = cluster.rollgate("retry", "web");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: cannot reach the Kubernetes API server at " + cluster.serverUrl()
                        + ": connection refused\n");
    }

    private static JsonNode spec(MockCluster cluster) {
        return JSON.valueToTree(cluster.get("prod", "web")).path("spec");
    }
}
