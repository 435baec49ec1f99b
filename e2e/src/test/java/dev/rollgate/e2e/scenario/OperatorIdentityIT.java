package dev.rollgate.e2e.scenario;

import static dev.rollgate.e2e.scenario.RolloutLifecycleIT.V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rollgate.testkit.AuditLog;
import dev.rollgate.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC makes "never writes a StatefulSet, never reads a Secret" a property of the
 * cluster: the API server refuses the operator's identity, whatever the operator's code would do.
 */
@EndToEnd
class OperatorIdentityIT {

    @Test
    void theOperatorsIdentityCannotWriteStatefulSetsNorTouchSecrets(RollgateStack stack) {
        // given both charts installed: the clinic's StatefulSets and database Secret next to the operator's
        // ServiceAccount
        stack.installOperatorChart();
        stack.installClinic(V1);
        String ns = stack.appNamespace();
        String as = "--as=" + stack.operatorUser();
        Kubectl kubectl = stack.kubectl();
        StatefulSet postgresBefore = statefulSet(stack.admin(), ns, "clinic-postgres");

        // when an admin asks the API server what that identity may do, then every write to a StatefulSet and any access
        // to a Secret is refused
        for (List<String> denied : List.of(
                List.of("patch", "statefulsets"),
                List.of("update", "statefulsets"),
                List.of("create", "statefulsets"),
                List.of("delete", "statefulsets"),
                List.of("update", "statefulsets", "--subresource=scale"),
                List.of("get", "secrets"),
                List.of("list", "secrets"),
                List.of("create", "secrets"))) {
            Kubectl.Result canI = kubectl.run(args("auth", "can-i", denied, as, "-n", ns));
            assertThat(canI.stdout().trim()).as("%s", canI).isEqualTo("no");
            assertThat(canI.exitCode()).as("%s", canI).isEqualTo(1);
        }
        // (and what it needs is allowed, so the "no" above is about the rights, not a mistyped identity)
        for (List<String> allowed : List.of(
                List.of("get", "statefulsets"),
                List.of("watch", "statefulsets"),
                List.of("patch", "deployments"),
                List.of("patch", "apideployments.rollgate.dev", "--subresource=status"))) {
            Kubectl.Result canI = kubectl.run(args("auth", "can-i", allowed, as, "-n", ns));
            assertThat(canI.stdout().trim()).as("%s", canI).isEqualTo("yes");
        }

        // when the identity itself, with its own token, tries anyway
        Optional<AuditLog.Mark> auditStart = stack.cluster()
                .auditLogPath()
                .map(p -> stack.cluster().auditLog().mark());
        try (KubernetesClient operator =
                stack.cluster().asServiceAccount(stack.operatorNamespace(), stack.serviceAccount())) {
            // then each attempt is answered 403 Forbidden
            assertForbidden(() -> operator.apps()
                    .statefulSets()
                    .inNamespace(ns)
                    .withName("clinic-postgres")
                    .edit(s -> {
                        s.getMetadata().getLabels().put("touched-by", "operator");
                        return s;
                    }));
            assertForbidden(() -> operator.apps()
                    .statefulSets()
                    .inNamespace(ns)
                    .withName("clinic-postgres")
                    .scale(0));
            assertForbidden(() -> operator.apps()
                    .statefulSets()
                    .inNamespace(ns)
                    .withName("clinic-cache")
                    .delete());
            assertForbidden(() ->
                    operator.secrets().inNamespace(ns).withName("clinic-db").get());
            assertForbidden(() -> operator.secrets()
                    .inNamespace(ns)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("stolen")
                            .endMetadata()
                            .addToStringData("x", "y")
                            .build())
                    .create());
        }
        // and the same through kubectl with a kubeconfig of that identity
        Path operatorKubeconfig = stack.cluster().kubeconfigFor(stack.operatorNamespace(), stack.serviceAccount());
        Kubectl asOperator = new Kubectl(stack.cluster().kubectl(), operatorKubeconfig);
        Kubectl.Result scale = asOperator.run("scale", "statefulset", "clinic-postgres", "--replicas=0", "-n", ns);
        assertThat(scale.exitCode()).as("%s", scale).isNotZero();
        assertThat(scale.stderr()).as("%s", scale).contains("Forbidden");
        Kubectl.Result secret = asOperator.run("get", "secret", "clinic-db", "-n", ns, "-o", "yaml");
        assertThat(secret.exitCode()).as("%s", secret).isNotZero();
        assertThat(secret.stderr()).as("%s", secret).contains("Forbidden");
        assertThat(secret.stdout()).doesNotContain("POSTGRES_PASSWORD");

        // then the StatefulSet is as it was, and the audit log holds the refused writes under the operator's name
        StatefulSet postgresAfter = statefulSet(stack.admin(), ns, "clinic-postgres");
        assertThat(postgresAfter.getMetadata().getGeneration())
                .isEqualTo(postgresBefore.getMetadata().getGeneration());
        assertThat(postgresAfter.getSpec()).isEqualTo(postgresBefore.getSpec());
        assertThat(postgresAfter.getMetadata().getLabels()).doesNotContainKey("touched-by");
        auditStart.ifPresent(mark -> {
            AuditLog audit = stack.cluster().auditLog();
            audit.await(
                    Duration.ofSeconds(10),
                    "the refused scale of clinic-postgres",
                    e -> stack.operatorUser().equals(e.username())
                            && "statefulsets".equals(e.resource())
                            && "scale".equals(e.subresource())
                            && e.code() == 403,
                    mark);
            assertThat(audit.eventsSince(mark))
                    .filteredOn(
                            e -> stack.operatorUser().equals(e.effectiveUser()) && "statefulsets".equals(e.resource()))
                    .as("writes to StatefulSets by the operator's identity")
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.code()).isEqualTo(403));
        });
    }

    private static String[] args(String a, String b, List<String> middle, String... rest) {
        List<String> all = new ArrayList<>(List.of(a, b));
        all.addAll(middle);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static StatefulSet statefulSet(KubernetesClient client, String ns, String name) {
        return client.apps().statefulSets().inNamespace(ns).withName(name).get();
    }

    /** Runs a request that the API server must refuse with 403 Forbidden. */
    static void assertForbidden(Runnable request) {
        KubernetesClientException e = catchThrowableOfType(request::run, KubernetesClientException.class);
        assertThat(e).as("the request should be refused").isNotNull();
        assertThat(e.getCode()).as("%s", e.getMessage()).isEqualTo(403);
    }
}
