package dev.rollgate.e2e.scenario;

import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorProcess;
import dev.rollgate.testkit.RealNode;
import dev.rollgate.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
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
public final class RollgateStack implements AutoCloseable {
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
  private OperatorProcess operator;

  public RollgateStack(LocalKubernetes cluster, String operatorNamespace, String appNamespace, String operatorName) {
    this(cluster, operatorNamespace, appNamespace, operatorName, List.of());
  }

  private RollgateStack(LocalKubernetes cluster, String operatorNamespace, String appNamespace, String operatorName,
      List<TestNamespace> ownedNamespaces) {
    this.cluster = cluster;
    this.helm = new HelmReleases(cluster.kubeconfig());
    this.operatorNamespace = operatorNamespace;
    this.appNamespace = appNamespace;
    this.operatorName = operatorName;
    this.ownedNamespaces = ownedNamespaces;
  }

  /** A stack in two fresh namespaces, deleted by {@link #close()}. */
  static RollgateStack inFreshNamespaces(LocalKubernetes cluster, String testName) {
    TestNamespace operatorNs = cluster.createNamespace("rollgate-system");
    TestNamespace appNs = cluster.createNamespace(testName);
    String suffix = operatorNs.name().substring(operatorNs.name().lastIndexOf('-') + 1);
    return new RollgateStack(cluster, operatorNs.name(), appNs.name(), "rollgate-" + suffix,
        List.of(appNs, operatorNs));
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
    return new Kubectl(cluster.kubectl(), cluster.kubeconfig());
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
    helm.install(CLINIC_RELEASE, CLINIC_CHART, appNamespace, clinicValues(image));
  }

  /** {@code helm upgrade clinic helm/clinic --set clinic.image=<image>}: how a user asks for a rollout. */
  public void rollTo(String image) {
    helm.upgrade(CLINIC_RELEASE, CLINIC_CHART, appNamespace, clinicValues(image));
  }

  /**
   * The clinic chart's values for the tests and the demo: simulated pods are ready within 2 s, so a
   * 1 s soak and a 60 s deadline keep a rollout short while still exercising both.
   */
  static Map<String, Object> clinicValues(String image) {
    return Map.of("clinic", Map.of(
        "image", image,
        "rollout", Map.of("minReadySeconds", 1, "timeoutSeconds", 60)));
  }

  /**
   * The environment of an operator process standing in for the chart's Deployment: leader election
   * on, with its Lease in the release namespace (as the chart sets POD_NAMESPACE), and only the
   * app's namespace watched (see the class comment).
   */
  public Map<String, String> operatorEnvironment() {
    return Map.of(
        "ROLLGATE_LEADER_ELECTION", "true",
        "ROLLGATE_LEASE_NAMESPACE", operatorNamespace,
        "ROLLGATE_OPERATOR_DEPLOYMENT", operatorName(),
        "QUARKUS_OPERATOR_SDK_CONTROLLERS_APIDEPLOYMENT_NAMESPACES", appNamespace);
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

  /**
   * The local cluster has no volume provisioner, so the postgres StatefulSet's claim
   * {@code data-clinic-postgres-0} would stay Pending and its pod unschedulable. A PersistentVolume
   * bound to that claim in advance stands in for one (nothing ever mounts it: KWOK runs no
   * containers). Clusters with a default StorageClass (kind) provision their own.
   */
  public void providePostgresVolume() {
    KubernetesClient client = cluster.client();
    boolean hasDefaultClass = client.storage().v1().storageClasses().list().getItems().stream()
        .anyMatch(sc -> "true".equals(sc.getMetadata().getAnnotations() == null ? null
            : sc.getMetadata().getAnnotations().get("storageclass.kubernetes.io/is-default-class")));
    if (hasDefaultClass) {
      return;
    }
    client.persistentVolumes().resource(new PersistentVolumeBuilder()
        .withNewMetadata().withName(volumeName()).addToLabels("rollgate.dev/test", "true").endMetadata()
        .withNewSpec()
          .addToCapacity("storage", new Quantity("1Gi"))
          .withAccessModes("ReadWriteOnce")
          .withPersistentVolumeReclaimPolicy("Retain")
          .withNewHostPath().withPath("/var/lib/rollgate-e2e/" + appNamespace).endHostPath()
          .withNewClaimRef().withNamespace(appNamespace).withName("data-" + CLINIC_RELEASE + "-postgres-0").endClaimRef()
        .endSpec()
        .build()).serverSideApply();
  }

  /**
   * Installs the clinic chart with every pod on the real node: placement (nodeSelector and
   * toleration) for PostgreSQL, the cache and both tiers; PostgreSQL and the cache from the images
   * built locally from Debian's packages; PostgreSQL's claim bound to a local PersistentVolume on
   * that node, so its data outlives its pod. {@code clinic} holds extra values of the
   * {@code clinic} key (e.g. the rollout policy).
   */
  public void installClinicOnRealNode(RealNode node, String image, Map<String, Object> clinic) {
    provideRealNodeVolume(node);
    helm.install(CLINIC_RELEASE, CLINIC_CHART, appNamespace, realNodeValues(node, image, clinic));
  }

  /** {@code helm upgrade} of a release made by {@link #installClinicOnRealNode}: a rollout to {@code image}. */
  public void rollOnRealNode(RealNode node, String image, Map<String, Object> clinic) {
    helm.upgrade(CLINIC_RELEASE, CLINIC_CHART, appNamespace, realNodeValues(node, image, clinic));
  }

  static Map<String, Object> realNodeValues(RealNode node, String image, Map<String, Object> clinic) {
    Map<String, Object> app = new java.util.LinkedHashMap<>(clinic);
    app.put("image", image);
    return Map.of(
        "placement", node.placement(),
        "clinic", app,
        "postgres", Map.of("image", node.image("postgres"), "storage", Map.of("size", "1Gi")),
        "cache", Map.of("image", node.image("redis")));
  }

  /** A local PersistentVolume on the real node, bound in advance to PostgreSQL's claim. */
  private void provideRealNodeVolume(RealNode node) {
    provideRealNodeVolume(node, volumeName(), "data-" + CLINIC_RELEASE + "-postgres-0");
  }

  /** A local PersistentVolume on the real node for the clinic chart's backups (clinic.backup.enabled). */
  public void provideBackupVolume(RealNode node) {
    provideRealNodeVolume(node, backupVolumeName(), CLINIC_RELEASE + "-backups");
  }

  private void provideRealNodeVolume(RealNode node, String volume, String claim) {
    Path path = node.volume(volume);
    cluster.client().persistentVolumes().resource(new PersistentVolumeBuilder()
        .withNewMetadata().withName(volume).addToLabels("rollgate.dev/test", "true").endMetadata()
        .withNewSpec()
          .addToCapacity("storage", new Quantity("1Gi"))
          .withAccessModes("ReadWriteOnce")
          .withPersistentVolumeReclaimPolicy("Retain")
          .withNewLocal().withPath(path.toString()).endLocal()
          .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
            .withKey("kubernetes.io/hostname").withOperator("In").withValues(node.name())
          .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
          .withNewClaimRef().withNamespace(appNamespace).withName(claim).endClaimRef()
        .endSpec()
        .build()).serverSideApply();
  }

  private String volumeName() {
    return appNamespace + "-postgres-data";
  }

  private String backupVolumeName() {
    return appNamespace + "-backups";
  }

  /** Deletes the stand-in volume of {@link #providePostgresVolume()}, if there is one. */
  public void removePostgresVolume() {
    cluster.client().persistentVolumes().withName(volumeName()).delete();
    cluster.client().persistentVolumes().withName(backupVolumeName()).delete();
  }

  /**
   * Saves what a person needs to understand a failed scenario: the operator's log, the
   * ApiDeployment as YAML, {@code kubectl describe} of everything in the app's namespace, and its
   * Events.
   */
  public void saveArtifacts(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (operator != null && Files.exists(operator.log())) {
      Files.copy(operator.log(), dir.resolve("operator.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Kubectl kubectl = kubectl();
    save(dir, "apideployment.yaml", kubectl.run("get", "apideployments", "-n", appNamespace, "-o", "yaml"));
    save(dir, "describe.txt", kubectl.run("describe", "apideployments,deployments,statefulsets,pods,pvc",
        "-n", appNamespace));
    save(dir, "events.txt", kubectl.run("get", "events", "-n", appNamespace, "--sort-by=.lastTimestamp"));
    cluster.realNode().ifPresent(node -> node.saveLogs(dir.resolve("real-node")));
    save(dir, "operator-namespace.txt", kubectl.run("get",
        "deployments,serviceaccounts,roles,rolebindings,services,leases", "-n", operatorNamespace));
  }

  private static void save(Path dir, String file, Kubectl.Result result) throws IOException {
    Files.writeString(dir.resolve(file), result.toString());
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
}
