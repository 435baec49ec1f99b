package dev.rollgate.e2e.realnode;

import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.SaveArtifactsOnFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test of the real node fails, copies the node's logs — kubelet, containerd, kube-proxy,
 * CoreDNS, and every pod's container logs — to {@code target/test-artifacts/<class>.<method>/real-node}.
 */
final class SaveNodeLogsOnFailure implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Path dir = SaveArtifactsOnFailure.directoryOf(context).resolve("real-node");
        try {
            LocalKubernetes.get().realNode().ifPresent(node -> node.saveLogs(dir));
            System.err.println("[e2e] the real node's logs: " + dir.toAbsolutePath());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
