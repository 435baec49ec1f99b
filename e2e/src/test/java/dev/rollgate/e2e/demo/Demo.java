package dev.rollgate.e2e.demo;

import static dev.rollgate.e2e.demo.DemoNarration.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.e2e.realnode.ClinicReleases;
import dev.rollgate.e2e.realnode.ReadinessWatch;
import dev.rollgate.e2e.scenario.RollgateStack;
import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorProcess;
import dev.rollgate.testkit.PhaseTimeline;
import dev.rollgate.testkit.RealNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The demo behind {@code e2e/demo.sh}: installs both charts, runs the operator under the chart's
 * ServiceAccount, and walks through good rollout, bad rollout, automatic revert and roll forward,
 * printing a timeline of the ApiDeployment's status as it changes. The cluster and the operator
 * keep running afterwards, for exploring with kubectl.
 *
 * <p>{@code Demo run} does all that; {@code Demo clean} uninstalls the releases and deletes the
 * demo's namespaces (what {@code demo.sh down} does on a cluster it did not start).
 */
public final class Demo {
    static final String OPERATOR_NAMESPACE = "rollgate-demo";
    static final String APP_NAMESPACE = "clinic-demo";
    /** fullnameOverride of the operator release: its ServiceAccount, ClusterRole, ... */
    static final String OPERATOR_NAME = "rollgate-demo";

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
    /** Real containers start in seconds; the failing release is reverted at this deadline. */
    static final int REAL_ROLLOUT_TIMEOUT = 30;

    static final Map<String, Object> REAL_ROLLOUT =
            Map.of("rollout", Map.of("minReadySeconds", 2, "timeoutSeconds", REAL_ROLLOUT_TIMEOUT));
    static final Duration REAL_STEP_TIMEOUT = Duration.ofMinutes(4);

    private final KubernetesClient admin;
    private final RollgateStack stack;
    private final Path stateDir;
    private final boolean localOperator;
    private final String repo;
    private final long started = System.nanoTime();
    /** One timeline for the whole walk-through, so that a revert's cause is printed once. */
    private final PhaseTimeline timeline = new PhaseTimeline(System.out, "    ");

    private Demo(LocalKubernetes cluster, Path stateDir, boolean localOperator, String repo) {
        this.admin = cluster.client();
        this.stack = new RollgateStack(cluster, OPERATOR_NAMESPACE, APP_NAMESPACE, OPERATOR_NAME);
        this.stateDir = stateDir;
        this.localOperator = localOperator;
        this.repo = repo;
    }

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(System.getProperty(
                "rollgate.demo.dir",
                Path.of(System.getProperty("user.home"), ".cache", "rollgate", "demo")
                        .toString()));
        Files.createDirectories(stateDir);
        boolean localOperator = !Boolean.getBoolean("rollgate.demo.inClusterOperator");
        String repo = System.getProperty("rollgate.demo.imageRepository", "rollgate/clinic");
        Demo demo = new Demo(LocalKubernetes.get(), stateDir, localOperator, repo);
        String command = args.length > 0 ? args[0] : "run";
        try {
            switch (command) {
                case "run" -> demo.run();
                case "clean" -> demo.clean();
                default -> throw new IllegalArgumentException("usage: Demo [run|clean]");
            }
        } catch (RuntimeException | AssertionError e) {
            System.out.println();
            System.out.println("The demo failed: " + e.getMessage());
            System.out.println("Operator log: " + stateDir.resolve("operator.log"));
            System.exit(1);
        }
        System.exit(0); // the fabric8 client's threads would keep the JVM alive
    }

    private void run() throws Exception {
        Optional<RealNode> node = stack.cluster().realNode();
        if (localOperator && node.isPresent() && !Boolean.getBoolean("rollgate.demo.simulated")) {
            runOnRealNode(node.get());
        } else {
            runSimulated();
        }
    }

    /**
     * The walk-through on the real node: real clinic containers, their readiness probe answered by
     * clinic's data layer against a real PostgreSQL, and a revert caused by a release whose
     * migration fails against the live schema.
     */
    private void runOnRealNode(RealNode node) throws Exception {
        removePreviousDemo();
        section("0. On the real node " + node.name()
                + " (kubelet + containerd + runc in a network namespace of its own)");
        note(
                "importing the clinic releases built from this repository into the node's containerd (there is no registry)");
        ClinicReleases releases = ClinicReleases.importedInto(node);
        note("good " + releases.good() + ", second good " + releases.good2() + ", failing migration "
                + releases.badMigration());
        installOperator();

        section("2. Deploy the clinic on the real node: PostgreSQL and cache StatefulSets, and an ApiDeployment on "
                + releases.good());
        command("helm install clinic helm/clinic -n " + APP_NAMESPACE + " --create-namespace --set clinic.image="
                + releases.good() + " --set-json placement=... (the real node's nodeSelector and toleration)");
        createNamespace(APP_NAMESPACE);
        note("the kubelet probes clinic's /q/health/ready; clinic answers 503 until its data layer is ready:");
        try (ReadinessWatch watch = ReadinessWatch.start(admin, APP_NAMESPACE, System.out, "      ")) {
            stack.installClinicOnRealNode(node, releases.good(), REAL_ROLLOUT);
            await("Available", releases.good(), REAL_STEP_TIMEOUT);
        }

        section("3. Roll out a good release, " + releases.good2());
        command("helm upgrade clinic helm/clinic -n " + APP_NAMESPACE + " --set clinic.image=" + releases.good2());
        try (ReadinessWatch watch = ReadinessWatch.start(admin, APP_NAMESPACE, System.out, "      ")) {
            stack.rollOnRealNode(node, releases.good2(), REAL_ROLLOUT);
            await("Available", releases.good2(), REAL_STEP_TIMEOUT);
        }

        section("4. Roll out " + releases.badMigration() + ": its new Flyway migration fails against the live schema");
        command("helm upgrade clinic helm/clinic -n " + APP_NAMESPACE + " --set clinic.image="
                + releases.badMigration());
        note(
                "its pods start, but their data layer never gets ready: readiness stays 503 and the old pods keep serving;");
        note("at the " + REAL_ROLLOUT_TIMEOUT + " s deadline Rollgate reverts both tiers");
        JsonNode reverted;
        try (ReadinessWatch watch = ReadinessWatch.start(admin, APP_NAMESPACE, System.out, "      ")) {
            stack.rollOnRealNode(node, releases.badMigration(), REAL_ROLLOUT);
            reverted = await("RolledBack", releases.good2(), REAL_STEP_TIMEOUT);
        }
        explainRevert(admin, stack, reverted);

        section("5. Turn on the migration gate and backups, and roll out " + releases.crash()
                + " with a Breaking migration (V3 adds patients.phone); its pods then crash at start");
        command(
                "helm upgrade clinic helm/clinic -n " + APP_NAMESPACE + " --set clinic.image=" + releases.crash()
                        + " --set clinic.migration.enabled=true,clinic.migration.compatibility=Breaking,clinic.backup.enabled=true");
        note(
                "a backup Job (pg_dump) runs first, then the migration Job (clinic's migrate role, Flyway); only then do the");
        note("tiers roll. When they fail, the previous image may not work on the new schema: both tiers are held.");
        ClinicReleases.provideV3Migration(admin, APP_NAMESPACE);
        stack.provideBackupVolume(node);
        Map<String, Object> gated = ClinicReleases.gatedValues(
                "Breaking", true, Map.of("minReadySeconds", 2, "timeoutSeconds", REAL_ROLLOUT_TIMEOUT));
        timeline.restartClock();
        stack.rollOnRealNode(node, releases.crash(), gated);
        JsonNode held = stack.app()
                .awaitPhase(
                        "Failed",
                        releases.good2(),
                        REAL_STEP_TIMEOUT,
                        timeline,
                        st -> releases.crash()
                                .equals(st.path("failedImage").path("image").asText()));
        ApiDeploymentView.condition(held, "RestoreAvailable")
                .ifPresent(c -> note("condition RestoreAvailable="
                        + c.path("status").asText() + " (" + c.path("reason").asText() + "): "
                        + c.path("message").asText()));
        String backup = held.path("lastKnownGood").path("backup").path("id").asText();

        section("6. Ask for the restore");
        command("kubectl annotate apideployment clinic -n " + APP_NAMESPACE + " rollgate.dev/restore=" + backup);
        note("both tiers go to 0, a restore Job runs pg_restore, then both tiers go back to the known-good image");
        stack.kubectl()
                .run("annotate", "-n", APP_NAMESPACE, "apideployment", "clinic", "rollgate.dev/restore=" + backup);
        timeline.restartClock();
        reverted = stack.app().awaitPhase("RolledBack", releases.good2(), REAL_STEP_TIMEOUT, timeline);
        admin.v1().events().inNamespace(APP_NAMESPACE).list().getItems().stream()
                .filter(e -> "DatabaseRestored".equals(e.getReason()))
                .forEach(e -> note("event " + e.getType() + " " + e.getReason() + ": " + e.getMessage()));
        printHistory(reverted, started);
        // e2e/demo.sh suggests this one next: a release that exits at start, reverted within seconds
        Files.writeString(stateDir.resolve("try-next"), releases.crash() + "\n");
    }

    private void runSimulated() throws Exception {
        String v1 = repo + ":1.0.0";
        String good = repo + ":1.1.0";
        String broken = repo + ":1.2.0-crashloop";
        String fixed = repo + ":1.2.1";

        removePreviousDemo();
        installOperator();

        section("2. Deploy the clinic: PostgreSQL and cache StatefulSets, and an ApiDeployment on " + v1);
        command("helm install clinic helm/clinic -n " + APP_NAMESPACE + " --create-namespace --set clinic.image=" + v1);
        createNamespace(APP_NAMESPACE);
        stack.installClinic(v1);
        await("Available", v1);

        section("3. Roll out a good image, " + good);
        rollTo(good);
        await("Available", good);

        section("4. Roll out a broken image, " + broken + " (its pods crash-loop)");
        rollTo(broken);
        JsonNode reverted = await("RolledBack", good);
        explainRevert(admin, stack, reverted);

        section("5. Roll forward to the fix, " + fixed);
        rollTo(fixed);
        JsonNode done = await("Available", fixed);

        printHistory(done, started);
    }

    private void removePreviousDemo() {
        if (admin.namespaces().withName(APP_NAMESPACE).get() != null
                || admin.namespaces().withName(OPERATOR_NAMESPACE).get() != null) {
            section("Removing the previous demo");
            clean();
        }
    }

    private void installOperator() throws Exception {
        section("1. Install the operator");
        command("helm install rollgate helm/rollgate-operator -n " + OPERATOR_NAMESPACE + " --create-namespace"
                + " --set fullnameOverride=" + OPERATOR_NAME);
        createNamespace(OPERATOR_NAMESPACE);
        stack.installOperatorChart();
        note("CRD apideployments.rollgate.dev, ServiceAccount " + OPERATOR_NAME + ", least-privilege ClusterRole "
                + "(StatefulSets read-only, no Secrets), leader-election Role, Deployment, metrics Service");
        if (localOperator) {
            // KWOK pods run no containers: the chart's Deployment gets a simulated pod that runs nothing,
            // so the operator runs here, as a process holding a token of the chart's ServiceAccount.
            Path kubeconfig = stack.cluster()
                    .writeKubeconfigFor(
                            OPERATOR_NAMESPACE,
                            stack.serviceAccount(),
                            Duration.ofHours(24),
                            stateDir.resolve("operator.kubeconfig"));
            long pid = OperatorProcess.startDetached(
                    kubeconfig, stateDir.resolve("operator.log"), stack.operatorEnvironment());
            Files.writeString(stateDir.resolve("operator.pid"), pid + "\n"); // e2e/demo.sh stops it by this PID
            note("operator running as a local process, PID " + pid + ", as " + stack.operatorUser()
                    + " — the chart's RBAC decides what it may do");
            note("its log: " + stateDir.resolve("operator.log"));
        } else {
            note("waiting for the operator Deployment " + OPERATOR_NAMESPACE + "/" + OPERATOR_NAME + " to be ready");
            admin.apps()
                    .deployments()
                    .inNamespace(OPERATOR_NAMESPACE)
                    .withName(OPERATOR_NAME)
                    .waitUntilCondition(
                            d -> d != null
                                    && d.getStatus() != null
                                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
                            STEP_TIMEOUT.toSeconds(),
                            TimeUnit.SECONDS);
        }
    }

    private void rollTo(String image) {
        command("helm upgrade clinic helm/clinic -n " + APP_NAMESPACE + " --set clinic.image=" + image);
        stack.rollTo(image);
    }

    private JsonNode await(String phase, String image) {
        return await(phase, image, STEP_TIMEOUT);
    }

    private JsonNode await(String phase, String image, Duration timeout) {
        timeline.restartClock(); // elapsed time counts from the helm command of this step
        return stack.app().awaitPhase(phase, image, timeout, timeline);
    }

    /** Uninstalls both releases and deletes the demo's namespaces and stand-in volume. */
    private void clean() {
        stack.helm().uninstall(RollgateStack.CLINIC_RELEASE, APP_NAMESPACE);
        stack.helm().uninstall(RollgateStack.OPERATOR_RELEASE, OPERATOR_NAMESPACE);
        for (String ns : List.of(APP_NAMESPACE, OPERATOR_NAMESPACE)) {
            admin.namespaces().withName(ns).delete();
        }
        Await.until(
                Duration.ofSeconds(120),
                "the demo's namespaces to be deleted",
                () -> admin.namespaces().withName(APP_NAMESPACE).get() == null
                        && admin.namespaces().withName(OPERATOR_NAMESPACE).get() == null);
        stack.removePostgresVolume();
        note("removed the releases rollgate and clinic and the namespaces " + OPERATOR_NAMESPACE + ", "
                + APP_NAMESPACE);
    }

    private void createNamespace(String name) {
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(Map.of("rollgate.dev/demo", "true"))
                        .endMetadata()
                        .build())
                .serverSideApply();
        admin.serviceAccounts()
                .inNamespace(name)
                .withName("default")
                .waitUntilCondition(sa -> sa != null, 30, TimeUnit.SECONDS);
    }
}
