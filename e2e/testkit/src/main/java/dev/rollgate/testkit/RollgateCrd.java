package dev.rollgate.testkit;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** The committed ApiDeployment CRD ({@code crds/}), installed for tests that run no Helm release. */
public final class RollgateCrd {
    private RollgateCrd() {}

    /** Installs the committed CRD, as Helm would, and waits until the API server serves it. */
    public static void ensureInstalled(KubernetesClient client) {
        try (InputStream in =
                Files.newInputStream(SourceTree.root().resolve("crds/apideployments.rollgate.dev-v1.yml"))) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .item();
            client.resource(crd).forceConflicts().serverSideApply();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    // status, then its conditions, appear a moment after the apply: absent means not yet
                    .waitUntilCondition(
                            c -> c.getStatus() != null
                                    && c.getStatus().getConditions() != null
                                    && c.getStatus().getConditions().stream()
                                            .anyMatch(x ->
                                                    "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                            30,
                            TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
