package dev.rollgate.testkit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * The Kubernetes cluster of this test JVM, shared by every test class in it.
 *
 * <p>Which cluster, in order:
 *
 * <ol>
 *   <li>{@code ROLLGATE_KUBECONFIG} (or system property {@code rollgate.kubeconfig}): the cluster
 *       of that kubeconfig, used as is — kind, or any cluster you can afford to create namespaces
 *       and CRDs in;
 *   <li>{@code ROLLGATE_USE_EXISTING_CLUSTER=true} (or {@code rollgate.useExistingCluster}): the
 *       cluster of {@code KUBECONFIG} / {@code ~/.kube/config}. A plain {@code KUBECONFIG} is not
 *       enough, so that a shell pointed at a real cluster does not run the suite against it by
 *       accident;
 *   <li>otherwise the local cluster of {@code e2e/cluster}: {@code up.sh} builds it on first use,
 *       starts it or reuses a running one, and its output (build progress included) is streamed to
 *       stderr.
 * </ol>
 *
 * <p>The local cluster is released when the JVM's tests are done: it stops if this JVM's tests
 * started it and no other test JVM is using it, unless {@code ROLLGATE_KEEP_CLUSTER=true} (or
 * {@code rollgate.keepCluster}). A cluster started by hand with {@code up.sh} is never stopped by
 * tests.
 *
 * <p>Outside JUnit (or from a test framework with its own lifecycle) call {@link #get()}; a JVM
 * shutdown hook releases the cluster.
 */
public final class LocalKubernetes {
    private static LocalKubernetes instance;

    private final Path kubeconfig;
    private final String apiServer;
    private final Optional<Path> auditLog;
    private final Path kubectl;
    private final boolean simulated;
    private final String realNode;
    private final Optional<Registry> registry;
    private final ClusterScripts scripts;
    private final KubernetesClient client;
    private final AtomicBoolean released = new AtomicBoolean();

    LocalKubernetes(
            Path kubeconfig,
            Optional<Path> auditLog,
            Path kubectl,
            ClusterScripts scripts,
            String realNode,
            Optional<Registry> registry) {
        this.kubeconfig = kubeconfig;
        this.registry = registry;
        this.realNode = realNode;
        this.auditLog = auditLog;
        this.kubectl = kubectl;
        this.scripts = scripts;
        this.simulated = scripts != null;
        this.client = new KubernetesClientBuilder().withConfig(config()).build();
        this.apiServer = client.getMasterUrl().toString();
    }

    /** The cluster of this JVM, brought up (or found) on the first call. */
    public static synchronized LocalKubernetes get() {
        if (instance == null) {
            instance = ClusterSelection.connect();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::release, "rollgate-cluster-release"));
        }
        return instance;
    }

    static String setting(String property, String env) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(env);
    }

    /** The shared admin client. Do not close it. */
    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig with admin rights on this cluster, e.g. for a process under test. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The API server's URL, e.g. {@code https://127.0.0.1:32764}. */
    public String apiServer() {
        return apiServer;
    }

    /** A kubectl of the cluster's version (the built one locally, the one on PATH otherwise). */
    public Path kubectl() {
        return kubectl;
    }

    /**
     * True for the local cluster, whose pods are simulated by KWOK and follow the image-tag rules
     * of {@code e2e/cluster/stages.yaml} ({@code -crashloop}, {@code -unready}, {@code -badpull}).
     */
    public boolean isSimulated() {
        return simulated;
    }

    /** Skips the calling test unless pods follow the image-tag rules (see {@link #isSimulated()}). */
    public void assumeSimulatedPods() {
        Assumptions.assumeTrue(simulated, "needs the KWOK image-tag rules of the local cluster");
    }

    /**
     * The real kubelet + containerd node of the local cluster, where real containers run and the
     * kubelet's probes hit them; empty where this machine cannot run one (see
     * {@link #realNodeUnavailableReason()}).
     */
    public Optional<RealNode> realNode() {
        return realNode.startsWith("ready: ")
                ? Optional.of(new RealNode(
                        realNode.substring("ready: ".length()), scripts != null ? scripts : ClusterScripts.locate()))
                : Optional.empty();
    }

    /**
     * The local cluster's OCI registry (e2e/cluster/registry.sh), which the real node's containerd
     * pulls from; empty for an existing cluster.
     */
    public Optional<Registry> registry() {
        return registry;
    }

    /** The local cluster's registry; skips the calling test where there is none (an existing cluster). */
    public Registry assumeRegistry() {
        Assumptions.assumeTrue(
                registry.isPresent(), "no registry: an existing cluster (the registry belongs to the local cluster)");
        return registry.get();
    }

    /** Why there is no real node ("ROLLGATE_REAL_NODE=off", "not root ..."), or empty when there is one. */
    public Optional<String> realNodeUnavailableReason() {
        return realNode.startsWith("unavailable: ")
                ? Optional.of(realNode.substring("unavailable: ".length()))
                : realNode.startsWith("ready: ") ? Optional.empty() : Optional.of(realNode);
    }

    /** The real node; skips the calling test, saying why, where this machine cannot run one. */
    public RealNode assumeRealNode() {
        Optional<RealNode> node = realNode();
        Assumptions.assumeTrue(
                node.isPresent(),
                () -> "no real node: " + realNodeUnavailableReason().orElse("unknown"));
        return node.get();
    }

    /**
     * Where the API server writes its audit log (every write request, Metadata level) — known for
     * the local cluster, or given by {@code ROLLGATE_AUDIT_LOG} for an existing one.
     */
    public Optional<Path> auditLogPath() {
        return auditLog;
    }

    /** The audit log; skips the calling test if this cluster's audit log is not readable here. */
    public AuditLog auditLog() {
        Assumptions.assumeTrue(
                auditLog.isPresent(), "the audit log of this cluster is unknown (set ROLLGATE_AUDIT_LOG)");
        return new AuditLog(auditLog.get());
    }

    /** A new namespace named {@code <prefix>-<random>}; close it to delete it. */
    public TestNamespace createNamespace(String prefix) {
        return TestNamespace.create(client, prefix);
    }

    /** The admin configuration, freshly read from the kubeconfig: adjust it and build a client. */
    public Config config() {
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        if (simulated) {
            config.setNoProxy(new String[] {"127.0.0.1", "localhost"}); // loopback never goes through a proxy
        }
        return config;
    }

    /**
     * A new client whose requests impersonate the given user (and groups) — the admin may
     * impersonate anyone. For a ServiceAccount: {@code "system:serviceaccount:<ns>:<name>"}. The
     * audit log records the admin as {@code user} and this identity as {@code impersonatedUser}.
     * Close it after use.
     */
    public KubernetesClient impersonating(String username, String... groups) {
        Config config = new ConfigBuilder(config())
                .withImpersonateUsername(username)
                .withImpersonateGroups(groups)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * A new client that authenticates as the ServiceAccount itself, with a token from the
     * TokenRequest API: what a pod of that ServiceAccount would present. Its requests pass through
     * RBAC as that account and appear in the audit log with {@code user.username}
     * {@code system:serviceaccount:<namespace>:<name>}. Close it after use.
     */
    public KubernetesClient asServiceAccount(String namespace, String name) {
        return credentials().client(namespace, name);
    }

    /**
     * Writes a kubeconfig that authenticates as the ServiceAccount (token valid for one hour) and
     * returns its path: for running a process under test, such as the operator, with exactly the
     * rights its RBAC grants.
     */
    public Path kubeconfigFor(String namespace, String name) {
        return credentials().temporaryKubeconfig(namespace, name);
    }

    /**
     * Like {@link #kubeconfigFor(String, String)}, but into a file that outlives this JVM and with a
     * token valid for {@code validity}: for a process that keeps running after the caller exits,
     * such as the demo's operator. The file is readable by its owner only.
     */
    public Path writeKubeconfigFor(String namespace, String name, Duration validity, Path file) {
        return credentials().writeKubeconfig(namespace, name, validity, file);
    }

    private ServiceAccountCredentials credentials() {
        return new ServiceAccountCredentials(client, config(), apiServer);
    }

    /**
     * Ends this JVM's use of the cluster (idempotent; the extension and the shutdown hook both call
     * it). The local cluster stops if this was its last test user — see the class comment.
     */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        client.close();
        if (scripts != null) {
            boolean keep = Boolean.parseBoolean(setting("rollgate.keepCluster", "ROLLGATE_KEEP_CLUSTER"));
            scripts.down(keep);
        }
    }

    @Override
    public String toString() {
        return (simulated ? "local KWOK cluster " : "existing cluster ") + apiServer + " (kubeconfig " + kubeconfig
                + ")";
    }
}
