package dev.rollgate.e2e.realnode;

import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.RealNode;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every real-node scenario starts from: the real node (the class is skipped, with the reason,
 * where the machine cannot run one) and the clinic releases imported into its containerd.
 */
abstract class RealNodeReleases {
    static RealNode node;
    static ClinicReleases releases;

    @BeforeAll
    static void importTheReleases() {
        node = LocalKubernetes.get().assumeRealNode();
        releases = ClinicReleases.importedInto(node);
    }
}
