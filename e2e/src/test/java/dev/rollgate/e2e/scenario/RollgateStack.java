package dev.rollgate.e2e.scenario;

import dev.rollgate.testkit.ApiDeploymentView;
import dev.rollgate.testkit.FailureArtifacts;
import dev.rollgate.testkit.Kubectl;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorProcess;
import dev.rollgate.testkit.RealNode;
import dev.rollgate.testkit.SaveArtifactsOnFailure;
import dev.rollgate.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Rollgate installed the way a user installs it: the operator chart (release {@code rollgate}) in
 * its own namespace, the clinic chart (release {@code clinic}: StatefulSets clinic-postgres and
 * clinic-cache, Secret clinic-db, ApiDeployment clinic) in the app's namespace, both with
 * helm-java, and the operator running <em>under the chart's ServiceAccount</em>.
 *
 * <p>KWOK pods run no containers, so the operator runs as a local process with a token of that
 * ServiceAccount: the chart's RBAC is what grants or denies each of its requests.
 *
 * <p>Two choices keep scenarios from disturbing each other on a shared cluster:
 *
 * <ul>
 *   <li>the chart's cluster-scoped objects (ClusterRole, ClusterRoleBinding) get a unique name
 *       through {@code fullnameOverride}, because the operator's own integration tests and other
 *       scenarios install the same chart;
 *   <li>the operator process watches only the app's namespace
 *       ({@code QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_NAMESPACES}), so that it never
 *       reconciles another test's ApiDeployments. Its RBAC is still the chart's cluster-wide one.
 * </ul>
 */
public final class RollgateStack implements AutoCloseable, SaveArtifactsOnFailure.Subject {
    public static final String OPERATOR_RELEASE = "rollgate";
    public static final String OPERATOR_CHART = "rollgate-operator";
    /** The clinic release; the ApiDeployment carries its name, the tiers are clinic-api and clinic-worker. */
    public static final String CLINIC_RELEASE = "clinic";

    public static final String CLINIC_CHART = "clinic";

    private final LocalKubernetes cluster;
    private final HelmReleases helm;
    private final String operatorNamespace;
    private final String appNamespace;
    private final String operatorName;
    private final List<TestNamespace> ownedNamespaces;
    private final ClinicVolumes volumes;
    private OperatorProcess operator;

    public RollgateStack(LocalKubernetes cluster, String operatorNamespace, String appNamespace, String operatorName) {
        this(cluster, operatorNamespace, appNamespace, operatorName, List.of());
    }

    private RollgateStack(
            LocalKubernetes cluster,
            String operatorNamespace,
            String appNamespace,
            String operatorName,
            List<TestNamespace> ownedNamespaces) {
        this.cluster = cluster;
        this.helm = new HelmReleases(cluster.kubeconfig());
        this.operatorNamespace = operatorNamespace;
        this.appNamespace = appNamespace;
        this.operatorName = operatorName;
        this.ownedNamespaces = ownedNamespaces;
        this.volumes = new ClinicVolumes(cluster.client(), appNamespace, CLINIC_RELEASE);
    }

    /** A stack in two fresh namespaces, deleted by {@link #close()}. */
    static RollgateStack inFreshNamespaces(LocalKubernetes cluster, String testName) {
        TestNamespace operatorNs = cluster.createNamespace("rollgate-system");
        TestNamespace appNs = cluster.createNamespace(testName);
        String suffix = operatorNs.name().substring(operatorNs.name().lastIndexOf('-') + 1);
        return new RollgateStack(
                cluster, operatorNs.name(), appNs.name(), "rollgate-" + suffix, List.of(appNs, operatorNs));
    }

    public String operatorNamespace() {
        return operatorNamespace;
    }

    public String appNamespace() {
        return appNamespace;
    }

    /** The full name of the operator release's objects: its Deployment, ServiceAccount, ClusterRole, ... */
    public String operatorName() {
        return operatorName;
    }

    public String serviceAccount() {
        return operatorName;
    }

    /** The operator's identity as the API server (and the audit log) names it. */
    public String operatorUser() {
        return "system:serviceaccount:" + operatorNamespace + ":" + serviceAccount();
    }

    public KubernetesClient admin() {
        return cluster.client();
    }

    public LocalKubernetes cluster() {
        return cluster;
    }

    public HelmReleases helm() {
        return helm;
    }

    /**
     * A client authenticated as the ServiceAccount {@code name} of the app's namespace, with a fresh
     * token: what it may do is exactly what RBAC grants that account. Close it after use.
     */
    public KubernetesClient asAppServiceAccount(String name) {
        return cluster.asServiceAccount(appNamespace, name);
    }

    /** A kubectl with the admin kubeconfig. */
    public Kubectl kubectl() {
        return Kubectl.admin(cluster);
    }

    /** The clinic's ApiDeployment. */
    public ApiDeploymentView app() {
        return new ApiDeploymentView(cluster.client(), appNamespace, CLINIC_RELEASE);
    }

    /** {@code helm install rollgate helm/rollgate-operator -n <ns>}: CRD, RBAC, ServiceAccount, Deployment, Service. */
    public void installOperatorChart() {
        installOperatorChart(Map.of());
    }

    /** The same with more values, e.g. {@code imageResolution: {pullSecrets: {enabled: true}}}. */
    public void installOperatorChart(Map<String, Object> values) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(values);
        all.put("fullnameOverride", operatorName);
        helm.install(OPERATOR_RELEASE, OPERATOR_CHART, operatorNamespace, all);
    }

    /** {@code helm uninstall rollgate -n <ns>}. */
    public void uninstallOperatorChart() {
        helm.uninstall(OPERATOR_RELEASE, operatorNamespace);
    }

    /**
     * {@code helm install clinic helm/clinic -n <ns> --set clinic.image=<image>} with a short rollout
     * policy, after {@link #providePostgresVolume()}.
     */
    public void installClinic(String image) {
        providePostgresVolume();
        helm.install(CLINIC_RELEASE, CLINIC_CHART, appNamespace, ClinicValues.simulated(image));
    }

    /** {@code helm upgrade clinic helm/clinic --set clinic.image=<image>}: how a user asks for a rollout. */
    public void rollTo(String image) {
        helm.upgrade(CLINIC_RELEASE, CLINIC_CHART, appNamespace, ClinicValues.simulated(image));
    }

    /**
     * The environment of an operator process standing in for the chart's Deployment: leader election
     * on, with its Lease in the release namespace (as the chart sets POD_NAMESPACE), and only the
     * app's namespace watched (see the class comment).
     */
    public Map<String, String> operatorEnvironment() {
        return Map.of(
                "ROLLGATE_LEADER_ELECTION",
                "true",
                "ROLLGATE_LEASE_NAMESPACE",
                operatorNamespace,
                "ROLLGATE_OPERATOR_DEPLOYMENT",
                operatorName(),
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_NAMESPACES",
                appNamespace);
    }

    /** Starts the operator as a local process with a token of the chart's ServiceAccount. */
    public OperatorProcess startOperator(String logName) {
        Path kubeconfig = cluster.kubeconfigFor(operatorNamespace, serviceAccount());
        operator = OperatorProcess.start(kubeconfig, logName, operatorEnvironment());
        return operator;
    }

    public void stopOperator() {
        if (operator != null) {
            operator.close();
        }
    }

    /** A stand-in PersistentVolume for PostgreSQL's claim where the cluster provisions none (see {@link ClinicVolumes}). */
    public void providePostgresVolume() {
        volumes.providePostgresVolume();
    }

    /**
     * Installs the clinic chart with every pod on the real node: placement (nodeSelector and
     * toleration) for PostgreSQL, the cache and both tiers; PostgreSQL and the cache from the images
     * built locally from Debian's packages; PostgreSQL's claim bound to a local PersistentVolume on
     * that node, so its data outlives its pod. {@code clinic} holds extra values of the
     * {@code clinic} key (e.g. the rollout policy).
     */
    public void installClinicOnRealNode(RealNode node, String image, Map<String, Object> clinic) {
        volumes.provideRealNodeVolume(node);
        helm.install(CLINIC_RELEASE, CLINIC_CHART, appNamespace, ClinicValues.onRealNode(node, image, clinic));
    }

    /** {@code helm upgrade} of a release made by {@link #installClinicOnRealNode}: a rollout to {@code image}. */
    public void rollOnRealNode(RealNode node, String image, Map<String, Object> clinic) {
        helm.upgrade(CLINIC_RELEASE, CLINIC_CHART, appNamespace, ClinicValues.onRealNode(node, image, clinic));
    }

    /** A local PersistentVolume on the real node for the clinic chart's backups (clinic.backup.enabled). */
    public void provideBackupVolume(RealNode node) {
        volumes.provideBackupVolume(node);
    }

    /** Deletes the stand-in volumes, if there are any. */
    public void removePostgresVolume() {
        volumes.remove();
    }

    /**
     * Saves what a person needs to understand a failed scenario: the operator's log, the
     * ApiDeployment as YAML, {@code kubectl describe} of everything in the app's namespace, and its
     * Events.
     */
    @Override
    public void saveArtifacts(Path dir) throws IOException {
        FailureArtifacts.saveOperatorLog(operator, dir);
        Kubectl kubectl = kubectl();
        FailureArtifacts.saveAppNamespace(kubectl, appNamespace, dir);
        cluster.realNode().ifPresent(node -> node.saveLogs(dir.resolve("real-node")));
        FailureArtifacts.save(
                dir,
                "operator-namespace.txt",
                kubectl.run(
                        "get",
                        "deployments,serviceaccounts,roles,rolebindings,services,leases",
                        "-n",
                        operatorNamespace));
    }

    @Override
    public void tearDown() {
        close();
    }

    /**
     * Stops the operator, uninstalls the operator release (its ClusterRole and ClusterRoleBinding
     * outlive any namespace), removes the stand-in volume and deletes the namespaces this stack made.
     */
    @Override
    public void close() {
        stopOperator();
        try {
            uninstallOperatorChart();
        } finally {
            removePostgresVolume();
            ownedNamespaces.forEach(TestNamespace::close);
        }
    }

    /** The pods of clinic's api and worker tiers (not its PostgreSQL or Redis), live or terminating. */
    public List<Pod> clinicTierPods() {
        return admin()
                .pods()
                .inNamespace(appNamespace())
                .withLabel("app.kubernetes.io/instance", "clinic")
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getName().startsWith("clinic-api-")
                        || p.getMetadata().getName().startsWith("clinic-worker-"))
                .toList();
    }
}
