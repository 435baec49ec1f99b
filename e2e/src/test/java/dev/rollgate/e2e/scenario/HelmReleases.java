package dev.rollgate.e2e.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.rollgate.testkit.SourceTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code helm install / upgrade / uninstall} of the repository's charts against one cluster, run
 * by helm-java (Helm's own Go code as a native library; there is no helm binary). Values go
 * through a values file, as a user's {@code -f values.yaml} would, so they keep their YAML types.
 */
public final class HelmReleases {
    private static final ObjectMapper YAML = new YAMLMapper();

    private final Path kubeconfig;
    private final Path charts;

    public HelmReleases(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        this.charts = SourceTree.root().resolve("helm");
    }

    /** {@code helm install <release> helm/<chart> -n <namespace> -f <values>}; CRDs in crds/ included. */
    public Release install(String release, String chart, String namespace, Map<String, ?> values) {
        return withValues(
                values,
                file -> new Helm(charts.resolve(chart))
                        .install()
                        .withName(release)
                        .withNamespace(namespace)
                        .withKubeConfig(kubeconfig)
                        .withValuesFile(file)
                        .call());
    }

    /** {@code helm upgrade <release> helm/<chart> -n <namespace> -f <values>}. */
    public Release upgrade(String release, String chart, String namespace, Map<String, ?> values) {
        return withValues(
                values,
                file -> new Helm(charts.resolve(chart))
                        .upgrade()
                        .withName(release)
                        .withNamespace(namespace)
                        .withKubeConfig(kubeconfig)
                        .withValuesFile(file)
                        .call());
    }

    /** {@code helm uninstall <release> -n <namespace> --ignore-not-found}. */
    public void uninstall(String release, String namespace) {
        Helm.uninstall(release)
                .withNamespace(namespace)
                .withKubeConfig(kubeconfig)
                .ignoreNotFound()
                .call();
    }

    /** True while Helm has a deployed release of that name in the namespace. */
    public boolean isInstalled(String release, String namespace) {
        return Helm.list().withNamespace(namespace).withKubeConfig(kubeconfig).call().stream()
                .anyMatch(r -> r.getName().equals(release));
    }

    private interface HelmCall {
        Release call(Path valuesFile);
    }

    private static Release withValues(Map<String, ?> values, HelmCall call) {
        Path file = null;
        try {
            file = Files.createTempFile("rollgate-values-", ".yaml");
            YAML.writeValue(file.toFile(), values);
            return call.call(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }
}
