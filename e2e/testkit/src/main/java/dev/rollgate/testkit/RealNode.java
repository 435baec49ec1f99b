package dev.rollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real node of the local cluster ({@code e2e/cluster/node.sh}): a kubelet, containerd and runc
 * in a network namespace of their own, registered as a Node that is labelled
 * {@code rollgate.dev/node=real} and tainted {@code rollgate.dev/real-node=true:NoSchedule}, so that
 * only pods asking for it with {@link #nodeSelector()} and {@link #tolerations()} land there.
 *
 * <p>There is no registry: images are imported into its containerd ({@link #importImage(Path)})
 * and pulled never.
 */
public final class RealNode {
    public static final String LABEL = "rollgate.dev/node";
    public static final String TAINT = "rollgate.dev/real-node";

    private final String name;
    private final ClusterScripts scripts;
    /** {@code node.sh images}, asked once: the node's images do not change while it runs. */
    private List<String> images;

    RealNode(String name, ClusterScripts scripts) {
        this.name = name;
        this.scripts = scripts;
    }

    /** The Node's name, e.g. {@code rollgate-node}. */
    public String name() {
        return name;
    }

    /** The pod-spec nodeSelector that places a pod on this node. */
    public Map<String, String> nodeSelector() {
        return Map.of(LABEL, "real");
    }

    /** The pod-spec tolerations that allow a pod on this node, as plain maps (for Helm values and CRs). */
    public List<Map<String, Object>> tolerations() {
        return List.of(Map.of("key", TAINT, "operator", "Equal", "value", "true", "effect", "NoSchedule"));
    }

    /** {@code {nodeSelector, tolerations}}: what a chart's placement values or a pod overlay need. */
    public Map<String, Object> placement() {
        return Map.of("nodeSelector", nodeSelector(), "tolerations", tolerations());
    }

    /**
     * The image of one of the node's own workloads, built locally and imported by {@code up}:
     * {@code "pause"}, {@code "postgres"} (PostgreSQL 15 from Debian's packages, made to work with
     * the clinic chart's StatefulSet) or {@code "redis"}.
     */
    public String image(String which) {
        return images().stream()
                .map(line -> line.trim().split("\\s+")[0])
                .filter(ref -> ref.substring(ref.lastIndexOf('/') + 1).startsWith(which + ":"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the real node has no image '" + which + "'"));
    }

    private synchronized List<String> images() {
        if (images == null) {
            images = scripts.node("images");
        }
        return images;
    }

    /** Imports an image tarball (docker-archive or OCI layout) into the node's containerd. */
    public void importImage(Path tarball) {
        scripts.node("import", tarball.toAbsolutePath().toString());
    }

    /**
     * A folder on the node for a local PersistentVolume, created empty and writable by any user (the
     * postgres image runs as uid 999). The same path names it on the host and on the node.
     */
    public Path volume(String volumeName) {
        return Path.of(scripts.node("volume", volumeName).get(0));
    }

    /** Copies the node's logs (kubelet, containerd, kube-proxy, CoreDNS, every pod's containers) into dir. */
    public void saveLogs(Path dir) {
        try {
            Files.createDirectories(dir);
            scripts.node("logs", dir.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The host's state as {@code node.sh state} prints it: sysctls, iptables rules, links, addresses,
     * routes, network namespaces, mounts, top-level cgroups, the kubelet's and containerd's default
     * paths. {@link #down()} must leave it equal to {@link #hostStateBeforeUp()}.
     */
    public String hostState() {
        return String.join("\n", scripts.node("state"));
    }

    /** The host's state recorded by {@code node.sh up} before it changed anything. */
    public String hostStateBeforeUp() {
        return String.join("\n", scripts.node("state-before"));
    }

    /** Stops the node ({@code node.sh down}): its pods, kubelet, containerd; restores the host; deletes the Node. */
    public void down() {
        scripts.node("down");
    }

    /** Starts the node again ({@code node.sh up}) and waits until it is Ready. */
    public void up() {
        scripts.node("up");
    }

    @Override
    public String toString() {
        return "real node " + name;
    }
}
