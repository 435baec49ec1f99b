package dev.rollgate.cli;

import static dev.rollgate.cli.RolloutOutcomeTest.NEW;
import static dev.rollgate.cli.RolloutOutcomeTest.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code status} against a mock API server: the summary and its exit code, and {@code --watch}
 * following a rollout through a real watch until it is rolled out (0), rolled back (1) or the
 * timeout passes (2).
 */
class StatusCommandTest {
    /** The line prefix of every timeline line: the fixed clock, no time elapsed. */
    private static final String AT = "10:00:00    +0.0s  ";

    @RegisterExtension
    final MockCluster cluster = new MockCluster();

    @Test
    void theSummaryShowsImagesReadyAndConditionsAndExitsByTheOutcome() {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("Progressing", OLD, "2/3")
                        .target(NEW)
                        .lastKnownGood(OLD)
                        .condition("Available", "True", "AllReplicasAvailable", "both tiers are available")
                        .condition("Ready", "False", "RolloutInProgress", "rolling both tiers to " + NEW));

        MockCluster.Result status = cluster.rollgate("status", "web");

        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.outLines())
                .containsExactly(
                        "Name:           web",
                        "Namespace:      prod",
                        "Phase:          Progressing",
                        "Desired image:  " + NEW,
                        "Running image:  " + OLD,
                        "Target image:   " + NEW,
                        "Ready pods:     2/3",
                        "Generation:     1 (observed 1)",
                        "Known good:     " + OLD,
                        "Conditions:",
                        "  TYPE        STATUS   REASON                 MESSAGE",
                        "  Ready       False    RolloutInProgress      rolling both tiers to " + NEW,
                        "  Available   True     AllReplicasAvailable   both tiers are available",
                        "apideployment \"web\" rolling out " + NEW + ": phase Progressing, ready 2/3");

        cluster.create(
                "prod",
                ApiDeploymentJson.named("done", NEW)
                        .observed("Available", NEW, "3/3")
                        .condition("Ready", "True", "RolledOut", ""));
        assertThat(cluster.rollgate("status", "done").exitCode()).isZero();
        cluster.create(
                "prod",
                ApiDeploymentJson.named("undone", NEW)
                        .observed("RolledBack", OLD, "3/3")
                        .failedImage(NEW, "CrashLoopBackOff", "pod undone-api-1 crashed"));
        MockCluster.Result undone = cluster.rollgate("status", "undone");
        assertThat(undone.exitCode()).isEqualTo(1);
        assertThat(undone.out())
                .contains("Failed image:   " + NEW
                        + " at 2026-01-05T10:05:12Z: CrashLoopBackOff: pod undone-api-1 crashed");
    }

    @Test
    void watchFollowsANewImageFromApplyUntilRolledOutAndExits0() throws Exception {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", OLD)
                        .observed("Available", OLD, "3/3")
                        .condition("Ready", "True", "RolledOut", "both tiers run " + OLD));
        // kubectl apply of a new image: generation 2, while the status still tells of generation 1
        cluster.replace(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("Available", OLD, "3/3")
                        .condition("Ready", "True", "RolledOut", "both tiers run " + OLD));

        CompletableFuture<MockCluster.Result> watch =
                cluster.rollgateWatching("status", "web", "--watch", "--timeout", "30s");
        cluster.replace(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .generation(2)
                        .observed("Progressing", OLD, "3/3")
                        .target(NEW)
                        .condition("Ready", "False", "RolloutInProgress", "rolling both tiers to " + NEW));
        cluster.replace(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .generation(2)
                        .observed("Available", NEW, "3/3")
                        .condition("Ready", "True", "RolledOut", "both tiers run " + NEW));
        MockCluster.Result result = watch.get(30, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        AT + "Available              ready 3/3    waiting for the operator to observe generation 2",
                        AT + "Progressing            ready 3/3    RolloutInProgress: rolling both tiers to " + NEW,
                        AT + "Available              ready 3/3    RolledOut: both tiers run " + NEW,
                        "apideployment \"web\" rolled out on " + NEW);
    }

    @Test
    void watchExits1WithTheRevertsCauseWhenTheRolloutIsRolledBack() throws Exception {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("Progressing", OLD, "3/3")
                        .target(NEW));

        CompletableFuture<MockCluster.Result> watch = cluster.rollgateWatching("status", "web", "-w");
        cluster.replace(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("RolledBack", OLD, "3/3")
                        .failedImage(NEW, "CrashLoopBackOff", "pod web-api-1 crashed")
                        .condition("Stalled", "True", "RolledBack", "both tiers run " + OLD + " again"));
        MockCluster.Result result = watch.get(30, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.outLines())
                .last()
                .isEqualTo("apideployment \"web\" rolled back to " + OLD + ": CrashLoopBackOff: pod web-api-1 crashed");
    }

    @Test
    void watchExits2WhenTheTimeoutPassesAndAtOnceWhenAlreadyDecided() {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("Progressing", OLD, "2/3")
                        .target(NEW));

        MockCluster.Result timedOut = cluster.rollgate("status", "web", "--watch", "--timeout", "1s");

        assertThat(timedOut.exitCode()).as("%s", timedOut).isEqualTo(2);
        assertThat(timedOut.outLines()).containsExactly(AT + "Progressing            ready 2/3");
        assertThat(timedOut.err())
                .isEqualTo("error: timed out after 1s waiting for apideployment \"web\" to roll out " + NEW
                        + " (phase Progressing, ready 2/3)\n");

        cluster.create(
                "prod",
                ApiDeploymentJson.named("done", NEW)
                        .observed("Available", NEW, "3/3")
                        .condition("Ready", "True", "RolledOut", ""));
        MockCluster.Result done = cluster.rollgate("status", "done", "--watch");
        assertThat(done.exitCode()).isZero();
        assertThat(done.outLines()).last().isEqualTo("apideployment \"done\" rolled out on " + NEW);
    }

    @Test
    void watchFailsWhenTheApiDeploymentIsDeleted() throws Exception {
        cluster.create(
                "prod",
                ApiDeploymentJson.named("web", NEW)
                        .observed("Progressing", OLD, "2/3")
                        .target(NEW));

        CompletableFuture<MockCluster.Result> watch = cluster.rollgateWatching("status", "web", "--watch");
        cluster.resource("prod", "web").delete();
        MockCluster.Result result = watch.get(30, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: apideployment \"web\" was deleted\n");
    }

    @Test
    void badFlagsAreReportedAsKubectlDoesWithExitCode1() {
        MockCluster.Result result = cluster.rollgate("status", "web", "--watch", "--timeout", "10");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("""
        error: Invalid value for option '--timeout': invalid duration "10": use a number with a unit, e.g. 30s, 10m, 1h
        See 'kubectl rollgate status --help' for usage.
        """);
    }
}
