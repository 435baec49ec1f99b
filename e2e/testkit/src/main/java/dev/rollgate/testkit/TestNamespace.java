package dev.rollgate.testkit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * A namespace of one test, {@code <prefix>-<5 random chars>}, labelled
 * {@code rollgate.dev/test=true}. {@link #close()} deletes it (and with it everything in it)
 * without waiting; set {@code ROLLGATE_KEEP_NAMESPACES=true} to keep them for a post-mortem.
 */
public final class TestNamespace implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final KubernetesClient client;
    private final String name;

    private TestNamespace(KubernetesClient client, String name) {
        this.client = client;
        this.name = name;
    }

    static TestNamespace create(KubernetesClient client, String prefix) {
        String name = dnsLabel(prefix, 57) + "-" + randomSuffix();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("rollgate.dev/test", "true")
                        .endMetadata()
                        .build())
                .create();
        // With ServiceAccount admission on, pods are refused until the namespace's "default"
        // ServiceAccount exists; kube-controller-manager creates it within moments.
        client.serviceAccounts()
                .inNamespace(name)
                .withName("default")
                .waitUntilCondition(sa -> sa != null, 30, TimeUnit.SECONDS);
        return new TestNamespace(client, name);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (Boolean.parseBoolean(LocalKubernetes.setting("rollgate.keepNamespaces", "ROLLGATE_KEEP_NAMESPACES"))) {
            System.err.println("[rollgate-testkit] keeping namespace " + name);
            return;
        }
        client.namespaces().withName(name).delete();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Lower-case alphanumerics and '-', at most {@code max} long, starting and ending alphanumeric. */
    static String dnsLabel(String s, int max) {
        String label = s.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-");
        if (label.length() > max) {
            label = label.substring(0, max);
        }
        label = label.replaceAll("^-+|-+$", "");
        return label.isEmpty() ? "test" : label;
    }

    private static String randomSuffix() {
        StringBuilder suffix = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }
}
