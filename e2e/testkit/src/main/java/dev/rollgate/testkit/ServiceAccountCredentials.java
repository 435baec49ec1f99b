package dev.rollgate.testkit;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;

/**
 * Credentials of a ServiceAccount on the cluster of {@link LocalKubernetes}: tokens from the
 * TokenRequest API, as clients or as kubeconfig files, so that a process under test presents
 * exactly what a pod of that ServiceAccount would and passes through RBAC as that account.
 */
final class ServiceAccountCredentials {
    private final KubernetesClient adminClient;
    private final Config admin;
    private final String apiServer;

    ServiceAccountCredentials(KubernetesClient adminClient, Config admin, String apiServer) {
        this.adminClient = adminClient;
        this.admin = admin;
        this.apiServer = apiServer;
    }

    /** A new client with a fresh one-hour token of the ServiceAccount. */
    KubernetesClient client(String namespace, String name) {
        return new KubernetesClientBuilder()
                .withConfig(serviceAccountConfig(namespace, name, Duration.ofHours(1)))
                .build();
    }

    /** A kubeconfig file with a one-hour token, deleted when this JVM exits. */
    Path temporaryKubeconfig(String namespace, String name) {
        try {
            Path file = Files.createTempFile(
                    "rollgate-" + namespace + "-" + name + "-",
                    ".kubeconfig",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            return writeKubeconfig(namespace, name, Duration.ofHours(1), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a kubeconfig with a token valid for {@code validity} into {@code file}, owner-readable only. */
    Path writeKubeconfig(String namespace, String name, Duration validity, Path file) {
        Config config = serviceAccountConfig(namespace, name, validity);
        String ca = config.getCaCertData() != null
                ? config.getCaCertData()
                : Base64.getEncoder().encodeToString(read(Path.of(config.getCaCertFile())));
        String user = "system:serviceaccount:" + namespace + ":" + name;
        String yaml = String.join(
                "\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: rollgate",
                "  cluster:",
                "    server: " + apiServer,
                "    certificate-authority-data: " + ca,
                "users:",
                "- name: " + user,
                "  user:",
                "    token: " + config.getOauthToken(),
                "contexts:",
                "- name: " + user,
                "  context: {cluster: rollgate, user: " + user + ", namespace: " + namespace + "}",
                "current-context: " + user,
                "");
        try {
            if (!Files.exists(file)) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Config serviceAccountConfig(String namespace, String name, Duration validity) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(validity.toSeconds())
                .endSpec()
                .build();
        String token = adminClient
                .serviceAccounts()
                .inNamespace(namespace)
                .withName(name)
                .tokenRequest(request)
                .getStatus()
                .getToken();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(admin.getMasterUrl())
                .withCaCertFile(admin.getCaCertFile())
                .withCaCertData(admin.getCaCertData())
                .withOauthToken(token)
                .withNamespace(namespace)
                .build();
        config.setNoProxy(admin.getNoProxy());
        return config;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
