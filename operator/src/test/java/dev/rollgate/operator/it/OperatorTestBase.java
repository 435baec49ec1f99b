package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.AuditEvent;
import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorIdentity;
import dev.rollgate.testkit.OperatorProcess;
import dev.rollgate.testkit.RollgateCrd;
import dev.rollgate.testkit.SaveArtifactsOnFailure;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every operator integration test shares: the cluster, the operator's identity from the
 * Helm chart, and one operator process per test class. After each class it checks the guarantee
 * that holds across the suite: the audit log holds no write to a StatefulSet by the operator.
 * A failed test leaves the operator's log and its scenarios' objects in
 * {@code target/test-artifacts/} ({@link SaveArtifactsOnFailure}).
 */
@WithKubernetes
@ExtendWith(SaveArtifactsOnFailure.class)
abstract class OperatorTestBase {
    protected static KubernetesClient client;
    protected static OperatorIdentity identity;
    protected static OperatorProcess operator;

    static void startSharedOperator(String name) {
        client = LocalKubernetes.get().client();
        RollgateCrd.ensureInstalled(client);
        identity = OperatorIdentity.install(client);
        operator = OperatorProcess.start(identity.kubeconfig(), name, Map.of());
    }

    static OperatorProcess startAnotherOperator(String name) {
        return OperatorProcess.start(identity.kubeconfig(), name, Map.of());
    }

    static void stopSharedOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
        if (identity != null) {
            assertThat(writesToStatefulSetsBy(identity.username()))
                    .as("audit log: writes to StatefulSets by %s", identity.username())
                    .isEmpty();
        }
    }

    /** Pods the simulated nodes make ready only {@code delay} after they start (rollgate.dev/kwok-ready-delay). */
    static dev.rollgate.operator.api.PodOverlay slowPods(String delay) {
        dev.rollgate.operator.api.PodOverlay pod = new dev.rollgate.operator.api.PodOverlay();
        pod.annotations = java.util.Map.of("rollgate.dev/kwok-ready-delay", delay);
        return pod;
    }

    /** Lets time pass, for a "nothing happens meanwhile" check. */
    static void pause(java.time.Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Scenario scenario(String prefix) {
        return new Scenario(client, prefix, () -> operator);
    }

    /** Audit events of a write to a StatefulSet made by the given user. */
    static List<AuditEvent> writesToStatefulSetsBy(String username) {
        return LocalKubernetes.get().auditLog().events().stream()
                .filter(e -> username.equals(e.username())
                        && "statefulsets".equals(e.resource())
                        && !List.of("get", "list", "watch").contains(e.verb()))
                .toList();
    }

    /** How many audit events the given user caused, to prove the log does record the operator's requests. */
    static long requestsBy(String username) {
        return LocalKubernetes.get().auditLog().events().stream()
                .filter(e -> username.equals(e.username()))
                .count();
    }
}
