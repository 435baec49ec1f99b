package dev.rollgate.operator.it;

import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.OperatorIdentity;
import dev.rollgate.testkit.RollgateCrd;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the benchmarks' {@code main} methods share: the cluster with the committed CRD and the
 * operator's identity from the chart, and an exit code Maven's exec plugin can fail the build on.
 */
final class Benchmarks {
    private Benchmarks() {}

    /** One benchmark, given the admin client and the identity its operator processes run under. */
    interface Body {
        void run(KubernetesClient client, OperatorIdentity identity) throws Exception;
    }

    /** Runs the benchmark and exits: 0 when it could measure, 1 (with the stack trace) when not. */
    static void runAndExit(Body body) {
        try {
            KubernetesClient client = LocalKubernetes.get().client();
            RollgateCrd.ensureInstalled(client);
            body.run(client, OperatorIdentity.install(client));
            System.exit(0);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
