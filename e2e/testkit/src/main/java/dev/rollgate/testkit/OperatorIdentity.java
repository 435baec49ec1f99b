package dev.rollgate.testkit;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's identity in the integration tests: the ServiceAccount and RBAC that the
 * operator's Helm chart grants, rendered from helm/rollgate-operator, and a kubeconfig holding a
 * token for that ServiceAccount. The operator process runs with it, so the chart's RBAC is what
 * the tests exercise, and the audit log names this identity. The token kubeconfig comes from
 * {@link LocalKubernetes#kubeconfigFor}. Operator integration tests use it; the e2e scenarios
 * install the whole chart instead.
 */
public final class OperatorIdentity {
    public static final String NAMESPACE = "rollgate-system";
    public static final String RELEASE = "rollgate";
    static final Set<String> IDENTITY_KINDS =
            Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    private final String serviceAccount;
    private final Path kubeconfig;

    private OperatorIdentity(String serviceAccount, Path kubeconfig) {
        this.serviceAccount = serviceAccount;
        this.kubeconfig = kubeconfig;
    }

    public String serviceAccount() {
        return serviceAccount;
    }

    /** A kubeconfig with a token of the ServiceAccount, for the operator process. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The username the API server's audit log records for the operator. */
    public String username() {
        return "system:serviceaccount:" + NAMESPACE + ":" + serviceAccount;
    }

    /** The identity of the chart's default release ({@code rollgate}). */
    public static OperatorIdentity install(KubernetesClient admin) {
        return install(admin, RELEASE, Map.of());
    }

    /** The identity of another release of the chart, rendered with these {@code --set} values. */
    public static OperatorIdentity install(KubernetesClient admin, String release, Map<String, Object> set) {
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .serverSideApply();
        var template = new Helm(SourceTree.root().resolve("helm/rollgate-operator"))
                .template()
                .withName(release)
                .withNamespace(NAMESPACE)
                .skipCrds();
        set.forEach(template::set);
        String rendered = template.call();
        List<HasMetadata> objects =
                admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items().stream()
                        .filter(o -> IDENTITY_KINDS.contains(o.getKind()))
                        .toList();
        String sa = null;
        for (HasMetadata o : objects) {
            if (!"ClusterRole".equals(o.getKind()) && !"ClusterRoleBinding".equals(o.getKind())) {
                o.getMetadata().setNamespace(NAMESPACE);
            }
            admin.resource(o).forceConflicts().serverSideApply();
            if ("ServiceAccount".equals(o.getKind())) {
                sa = o.getMetadata().getName();
            }
        }
        if (sa == null) {
            throw new IllegalStateException("helm/rollgate-operator renders no ServiceAccount");
        }
        // a token for exactly that ServiceAccount, so the API server applies the chart's RBAC
        Path kubeconfig = LocalKubernetes.get().kubeconfigFor(NAMESPACE, sa);
        return new OperatorIdentity(sa, kubeconfig);
    }
}
