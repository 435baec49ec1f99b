package dev.rollgate.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rollgate.testkit.AuditEvent;
import dev.rollgate.testkit.AuditLog;
import dev.rollgate.testkit.Await;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.TestNamespace;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RBAC is enforced, and the audit log records every write with the identity that made it — what
 * the operator's tests rely on to prove which account wrote what.
 */
@WithKubernetes
class AuditLogIT {
    private static final Duration AUDIT_DELAY = Duration.ofSeconds(10);

    @Test
    void aWriteByAServiceAccountIsLoggedWithItsIdentity(LocalKubernetes cluster, TestNamespace ns) {
        AuditLog audit = cluster.auditLog();
        String account = "system:serviceaccount:" + ns.name() + ":writer";
        createServiceAccount(cluster.client(), ns, "writer");
        AuditLog.Mark before = audit.mark();

        try (KubernetesClient writer = cluster.asServiceAccount(ns.name(), "writer")) {
            // given no RBAC grant, the write is forbidden
            KubernetesClientException forbidden = catchThrowableOfType(
                    () -> writer.configMaps()
                            .inNamespace(ns.name())
                            .resource(configMap("denied"))
                            .create(),
                    KubernetesClientException.class);
            assertThat(forbidden).isNotNull();
            assertThat(forbidden.getCode()).isEqualTo(403);

            // when granted, it succeeds
            allowConfigMapWrites(cluster.client(), ns, account);
            ConfigMap written = createOnceAuthorized(writer, ns, configMap("written"));
            assertThat(written.getMetadata().getUid()).isNotBlank();
        }

        // then both attempts are in the audit log under the account's own name
        // (a request refused by RBAC never reaches the handler that reads the name from the body)
        AuditEvent denied = audit.await(
                AUDIT_DELAY,
                "the denied create",
                e -> account.equals(e.username()) && "create".equals(e.verb()) && e.code() == 403,
                before);
        assertThat(denied.resource()).isEqualTo("configmaps");
        assertThat(denied.namespace()).isEqualTo(ns.name());
        AuditEvent created = audit.await(
                AUDIT_DELAY,
                "the create of configmap written",
                e -> "written".equals(e.name()) && "create".equals(e.verb()) && e.code() == 201,
                before);
        assertThat(created.username()).isEqualTo(account);
        assertThat(created.impersonatedUser()).isNull();
        assertThat(created.resource()).isEqualTo("configmaps");
        assertThat(created.namespace()).isEqualTo(ns.name());
    }

    @Test
    void anImpersonatedWriteIsLoggedWithBothIdentities(LocalKubernetes cluster, TestNamespace ns) {
        AuditLog audit = cluster.auditLog();
        String account = "system:serviceaccount:" + ns.name() + ":operator";
        createServiceAccount(cluster.client(), ns, "operator");
        allowConfigMapWrites(cluster.client(), ns, account);
        AuditLog.Mark before = audit.mark();

        try (KubernetesClient asOperator = cluster.impersonating(account)) {
            createOnceAuthorized(asOperator, ns, configMap("impersonated"));
        }

        AuditEvent created = audit.await(
                AUDIT_DELAY,
                "the create of configmap impersonated",
                e -> "impersonated".equals(e.name()) && "create".equals(e.verb()) && e.code() == 201,
                before);
        assertThat(created.impersonatedUser()).isEqualTo(account);
        assertThat(created.effectiveUser()).isEqualTo(account);
        assertThat(created.username()).as("the admin who impersonated").isNotEqualTo(account);
    }

    private static void createServiceAccount(KubernetesClient admin, TestNamespace ns, String name) {
        admin.serviceAccounts()
                .inNamespace(ns.name())
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    private static void allowConfigMapWrites(KubernetesClient admin, TestNamespace ns, String user) {
        admin.rbac()
                .roles()
                .inNamespace(ns.name())
                .resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("configmap-writer")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("create", "get")
                        .endRule()
                        .build())
                .create();
        admin.rbac()
                .roleBindings()
                .inNamespace(ns.name())
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("configmap-writer")
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("configmap-writer")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("User")
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withName(user)
                        .endSubject()
                        .build())
                .create();
    }

    /** The RBAC authorizer learns of a new RoleBinding from a watch: retry a 403 for a moment. */
    private static ConfigMap createOnceAuthorized(KubernetesClient client, TestNamespace ns, ConfigMap cm) {
        return Await.until(
                Duration.ofSeconds(10),
                "RBAC to allow creating " + cm.getMetadata().getName(),
                () -> {
                    try {
                        return Optional.of(client.configMaps()
                                .inNamespace(ns.name())
                                .resource(cm)
                                .create());
                    } catch (KubernetesClientException e) {
                        if (e.getCode() == 403) {
                            return Optional.empty();
                        }
                        throw e;
                    }
                });
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("by", "AuditLogIT")
                .build();
    }
}
