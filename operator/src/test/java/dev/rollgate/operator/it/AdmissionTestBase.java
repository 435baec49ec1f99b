package dev.rollgate.operator.it;

import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.RollgateCrd;
import dev.rollgate.testkit.SaveArtifactsOnFailure;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the admission tests share: the committed CRD installed on the real API server and one
 * namespace per class; no operator runs, since admission is the API server's alone.
 */
@WithKubernetes
@ExtendWith(SaveArtifactsOnFailure.class)
abstract class AdmissionTestBase {
    static KubernetesClient client;
    static Scenario ns;

    @BeforeAll
    static void installCrd() throws Exception {
        client = LocalKubernetes.get().client();
        RollgateCrd.ensureInstalled(client);
        ns = new Scenario(client, "admission");
    }

    @AfterAll
    static void deleteNamespace() {
        if (ns != null) {
            ns.close();
            ns = null;
        }
    }
}
