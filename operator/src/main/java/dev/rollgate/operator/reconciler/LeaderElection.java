package dev.rollgate.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Leader election through a Lease, on by default when the operator runs in a cluster (it then
 * knows its namespace), so that two replicas never reconcile at once. Off when run as a local
 * process without a namespace, or when {@code ROLLGATE_LEADER_ELECTION=false}.
 */
@Singleton
public class LeaderElection implements ConfigurationServiceCustomizer {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);
  static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @ConfigProperty(name = "rollgate.leader-election.enabled", defaultValue = "true")
  boolean enabled;

  @ConfigProperty(name = "rollgate.leader-election.lease-name", defaultValue = "rollgate-operator")
  String leaseName;

  @ConfigProperty(name = "rollgate.leader-election.lease-namespace")
  Optional<String> leaseNamespace;

  @Override
  public Consumer<ConfigurationServiceOverrider> overrider() {
    Optional<String> namespace = leaseNamespace.filter(n -> !n.isBlank()).or(LeaderElection::podNamespace);
    if (!enabled || namespace.isEmpty()) {
      LOG.infof("leader election off (%s)", enabled ? "no namespace: not running in a cluster" : "disabled");
      return o -> {};
    }
    LOG.infof("leader election on: Lease %s/%s", namespace.get(), leaseName);
    return o -> o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(leaseName, namespace.get(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
        new LeaderCallbacks(() -> LOG.info("leading"), LeaderElection::stoppedLeading, leader -> {}), false));
  }

  /**
   * Losing the Lease must end the process, so that it restarts as a follower. But the Lease is
   * also released during a normal shutdown, from inside the JVM's shutdown hooks, where calling
   * System.exit on the same thread blocks forever (the pod would then wait out its whole grace
   * period). Exiting from a fresh daemon thread does both right: outside a shutdown it starts
   * one; during a shutdown it just waits, harmlessly, while the shutdown completes.
   */
  static void stoppedLeading() {
    LOG.info("stopped leading (shutting down, or the Lease was lost): making sure the process exits");
    Thread exit = new Thread(() -> System.exit(1), "rollgate-exit-on-lost-lease");
    exit.setDaemon(true);
    exit.start();
  }

  private static Optional<String> podNamespace() {
    String env = System.getenv("POD_NAMESPACE");
    if (env != null && !env.isBlank()) {
      return Optional.of(env);
    }
    try {
      return Files.exists(SERVICE_ACCOUNT_NAMESPACE)
          ? Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim()) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
