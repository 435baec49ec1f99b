package dev.rollgate.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * kubectl's flags for which cluster, user and namespace: {@code --kubeconfig} (else
 * {@code KUBECONFIG}, a list of files merged as kubectl merges them, else {@code ~/.kube/config},
 * else the pod's ServiceAccount), {@code --context} (else the current context) and
 * {@code -n/--namespace} (else the context's namespace, else {@code default}). Accepted before or
 * after the subcommand, as kubectl accepts them.
 */
public final class ClusterOptions {
    /**
     * Retries of a request that got no answer: fabric8's default (10, backing off from 100 ms) keeps
     * a command against an unreachable server waiting some 20 s; kubectl gives up at once. Three
     * ride out a blip (about 0.7 s) and still fail fast. A watch reconnects by itself regardless.
     */
    static final int REQUEST_RETRIES = 3;

    @Option(
            names = {"-n", "--namespace"},
            scope = ScopeType.INHERIT,
            paramLabel = "NAMESPACE",
            description = "The namespace of the ApiDeployment. Default: the context's namespace, else default.")
    String namespace;

    @Option(
            names = "--context",
            scope = ScopeType.INHERIT,
            paramLabel = "CONTEXT",
            description = "The kubeconfig context to use. Default: its current context.")
    String context;

    @Option(
            names = "--kubeconfig",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "The kubeconfig file to use. Default: $KUBECONFIG, else ~/.kube/config.")
    Path kubeconfig;

    /** A client for the chosen cluster and the namespace to work in; the caller closes it. */
    public Connection connect() {
        Config config = config();
        String ns = namespace != null
                ? namespace
                : config.getNamespace() != null && !config.getNamespace().isEmpty() ? config.getNamespace() : "default";
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        return new Connection(client, ns);
    }

    private Config config() {
        Config config;
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig)) {
                throw CommandFailure.error("kubeconfig " + kubeconfig + ": no such file");
            }
            config = Config.fromKubeconfig(context, kubeconfig.toFile());
        } else {
            config = Config.autoConfigure(context);
        }
        // fabric8 falls back to the current context when the one asked for is missing; kubectl refuses
        if (context != null
                && (config.getCurrentContext() == null
                        || !context.equals(config.getCurrentContext().getName()))) {
            throw CommandFailure.error("context was not found for specified context: " + context);
        }
        config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        return config;
    }

    /** A client and the namespace the command works in. */
    public record Connection(KubernetesClient client, String namespace) implements AutoCloseable {
        public ApiDeployments apiDeployments() {
            return new ApiDeployments(client, namespace);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
