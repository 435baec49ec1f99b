package dev.rollgate.testkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the cluster of this test JVM from the settings (see {@link LocalKubernetes} for the order)
 * and, for the local one, brings it up through {@code e2e/cluster/up.sh}.
 */
final class ClusterSelection {
    private ClusterSelection() {}

    /** The cluster the settings name, as listed in {@link LocalKubernetes}; the local one brought up if need be. */
    static LocalKubernetes connect() {
        String explicit = LocalKubernetes.setting("rollgate.kubeconfig", "ROLLGATE_KUBECONFIG");
        if (explicit != null) {
            return existing(Path.of(explicit));
        }
        if (Boolean.parseBoolean(
                LocalKubernetes.setting("rollgate.useExistingCluster", "ROLLGATE_USE_EXISTING_CLUSTER"))) {
            String env = System.getenv("KUBECONFIG");
            Path path = env != null && !env.isBlank()
                    ? Path.of(env.split(java.io.File.pathSeparator)[0])
                    : Path.of(System.getProperty("user.home"), ".kube", "config");
            return existing(path);
        }
        ClusterScripts scripts = ClusterScripts.locate();
        Map<String, String> up = scripts.up();
        return new LocalKubernetes(
                Path.of(up.get("KUBECONFIG")),
                Optional.of(Path.of(up.get("ROLLGATE_AUDIT_LOG"))),
                Path.of(up.get("ROLLGATE_KUBECTL")),
                scripts,
                up.getOrDefault("ROLLGATE_REAL_NODE", "unavailable: up.sh did not say"),
                up.containsKey("ROLLGATE_REGISTRY")
                        ? Optional.of(Registry.ofCluster(
                                up.get("ROLLGATE_REGISTRY"),
                                up.get("ROLLGATE_REGISTRY_BASIC"),
                                up.get("ROLLGATE_REGISTRY_USER"),
                                Path.of(up.get("ROLLGATE_REGISTRY_PASSWORD_FILE"))))
                        : Optional.empty());
    }

    private static LocalKubernetes existing(Path kubeconfig) {
        System.err.println("[rollgate-testkit] using the existing cluster of " + kubeconfig);
        Optional<Path> audit = Optional.ofNullable(LocalKubernetes.setting("rollgate.auditLog", "ROLLGATE_AUDIT_LOG"))
                .map(Path::of);
        // e2e/demo.sh runs against the local cluster it started as an "existing" one, and says
        // whether that cluster has its real node (rollgate.realNode, as up.sh printed it)
        String node = System.getProperty(
                "rollgate.realNode", "unavailable: an existing cluster (the real node belongs to the local cluster)");
        return new LocalKubernetes(kubeconfig, audit, Path.of("kubectl"), null, node, Optional.empty());
    }
}
