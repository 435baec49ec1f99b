package dev.rollgate.operator.runtime;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Leader election through a Lease, on by default when the operator runs in a cluster (it then
 * knows its namespace), so that two replicas never reconcile at once. Off when run as a local
 * process without a namespace, or when {@code ROLLGATE_LEADER_ELECTION=false}.
 */
@Singleton
public class LeaderElection implements ConfigurationServiceCustomizer {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    /** 1 while this process reconciles: it leads, or leader election is off (the rollgate_leader gauge). */
    static final java.util.concurrent.atomic.AtomicInteger LEADING = new java.util.concurrent.atomic.AtomicInteger();

    private final OperatorSettings settings;

    public LeaderElection(OperatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public Consumer<ConfigurationServiceOverrider> overrider() {
        Optional<String> namespace = settings.leaseNamespace();
        String leaseName = settings.leaseName;
        if (!settings.leaderElection || namespace.isEmpty()) {
            LOG.infof(
                    "leader election off (%s)",
                    settings.leaderElection ? "no namespace: not running in a cluster" : "disabled");
            LEADING.set(1);
            return o -> {};
        }
        LOG.infof("leader election on: Lease %s/%s", namespace.get(), leaseName);
        return o -> o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                leaseName,
                namespace.get(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                null,
                new LeaderCallbacks(() -> leading(namespace.get()), LeaderElection::stoppedLeading, leader -> {}),
                false));
    }

    private void leading(String namespace) {
        LOG.info("leading");
        LEADING.set(1);
        settings.ownerDeployment.filter(d -> !d.isBlank()).ifPresent(d -> {
            try (KubernetesClient client = new KubernetesClientBuilder().build()) {
                ownLease(client, namespace, settings.leaseName, d);
            } catch (KubernetesClientException e) {
                LOG.infof(
                        "the Lease %s/%s stays without an owner (%s): delete it by hand after an uninstall",
                        namespace, settings.leaseName, e.getMessage());
            }
        });
    }

    /**
     * Adds an owner reference to Deployment {@code deployment} to the Lease (which the leader
     * elector created, so Helm does not know it). The elector's own writes are merge patches of
     * the spec, so the reference stays.
     */
    static void ownLease(KubernetesClient client, String namespace, String lease, String deployment) {
        Deployment owner = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(deployment)
                .get();
        if (owner == null) {
            LOG.infof("Deployment %s/%s not found: the Lease %s stays without an owner", namespace, deployment, lease);
            return;
        }
        var reference = new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(deployment)
                .withUid(owner.getMetadata().getUid())
                .build();
        String patch = Serialization.asJson(Map.of("metadata", Map.of("ownerReferences", List.of(reference))));
        client.leases().inNamespace(namespace).withName(lease).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /**
     * Losing the Lease must end the process, so that it restarts as a follower. But the Lease is
     * also released during a normal shutdown, from inside the JVM's shutdown hooks, where calling
     * System.exit on the same thread blocks forever (the pod would then wait out its whole grace
     * period). Exiting from a fresh daemon thread does both right: outside a shutdown it starts
     * one; during a shutdown it just waits, harmlessly, while the shutdown completes.
     */
    static void stoppedLeading() {
        LEADING.set(0);
        LOG.info("stopped leading (shutting down, or the Lease was lost): making sure the process exits");
        Thread exit = new Thread(() -> System.exit(1), "rollgate-exit-on-lost-lease");
        exit.setDaemon(true);
        exit.start();
    }
}
