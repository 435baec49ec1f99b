package dev.rollgate.operator.runtime;

import dev.rollgate.operator.image.RegistryClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every setting Rollgate's own code reads (application.properties, and the environment the chart
 * gives its pod), in one place, and the collaborators built from them; the framework's own
 * settings (logging, HTTP, QUARKUS_OPERATOR_SDK_*) stay in application.properties. The README's
 * "Operator settings" table lists these names.
 */
@Singleton
public class OperatorSettings {
    /** Registry hosts (host:port as in image references) asked over plain HTTP; loopback ones always are. */
    static final String INSECURE_REGISTRIES_ENV = "ROLLGATE_INSECURE_REGISTRIES";

    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(10);
    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    @ConfigProperty(name = "rollgate.leader-election.enabled", defaultValue = "true")
    boolean leaderElection;

    @ConfigProperty(name = "rollgate.leader-election.lease-name", defaultValue = "rollgate-operator")
    String leaseName;

    @ConfigProperty(name = "rollgate.leader-election.lease-namespace")
    Optional<String> leaseNamespace;

    /**
     * The operator's own Deployment (the chart sets it): the Lease is made a dependent of it, so
     * that deleting the Deployment ({@code helm uninstall}) takes the Lease with it.
     */
    @ConfigProperty(name = "rollgate.leader-election.owner-deployment")
    Optional<String> ownerDeployment;

    /** Where the Lease lives: the configured namespace, else the pod's own; empty outside a cluster. */
    Optional<String> leaseNamespace() {
        return leaseNamespace.filter(n -> !n.isBlank()).or(OperatorSettings::podNamespace);
    }

    private static Optional<String> podNamespace() {
        String env = System.getenv("POD_NAMESPACE");
        if (env != null && !env.isBlank()) {
            return Optional.of(env);
        }
        try {
            return Files.exists(SERVICE_ACCOUNT_NAMESPACE)
                    ? Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Events name this process (the pod's name in a cluster) as their reporting instance. */
    @Produces
    @Singleton
    EventRecorder events(KubernetesClient client, Clock clock) {
        return new EventRecorder(client, clock, System.getenv().getOrDefault("HOSTNAME", "rollgate"));
    }

    @Produces
    @Singleton
    RegistryClient registry() {
        return new RegistryClient(insecureRegistries(System.getenv(INSECURE_REGISTRIES_ENV)), REGISTRY_TIMEOUT);
    }

    static Set<String> insecureRegistries(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toSet());
    }
}
