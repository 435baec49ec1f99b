package dev.rollgate.e2e.scenario;

import dev.rollgate.testkit.RealNode;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * The PersistentVolumes the clinic chart's claims bind to, made in advance by the test: the local
 * cluster provisions none. Named after the app's namespace, so that scenarios never share one.
 */
final class ClinicVolumes {
    private final KubernetesClient client;
    private final String appNamespace;
    private final String release;

    ClinicVolumes(KubernetesClient client, String appNamespace, String release) {
        this.client = client;
        this.appNamespace = appNamespace;
        this.release = release;
    }

    /**
     * The local cluster has no volume provisioner, so the postgres StatefulSet's claim
     * {@code data-clinic-postgres-0} would stay Pending and its pod unschedulable. A PersistentVolume
     * bound to that claim in advance stands in for one (nothing ever mounts it: KWOK runs no
     * containers). Clusters with a default StorageClass (kind) provision their own.
     */
    void providePostgresVolume() {
        boolean hasDefaultClass = client.storage().v1().storageClasses().list().getItems().stream()
                .anyMatch(sc -> "true"
                        .equals(
                                sc.getMetadata().getAnnotations() == null
                                        ? null
                                        : sc.getMetadata()
                                                .getAnnotations()
                                                .get("storageclass.kubernetes.io/is-default-class")));
        if (hasDefaultClass) {
            return;
        }
        client.persistentVolumes()
                .resource(new PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName(volumeName())
                        .addToLabels("rollgate.dev/test", "true")
                        .endMetadata()
                        .withNewSpec()
                        .addToCapacity("storage", new Quantity("1Gi"))
                        .withAccessModes("ReadWriteOnce")
                        .withPersistentVolumeReclaimPolicy("Retain")
                        .withNewHostPath()
                        .withPath("/var/lib/rollgate-e2e/" + appNamespace)
                        .endHostPath()
                        .withNewClaimRef()
                        .withNamespace(appNamespace)
                        .withName("data-" + release + "-postgres-0")
                        .endClaimRef()
                        .endSpec()
                        .build())
                .serverSideApply();
    }

    /** A local PersistentVolume on the real node, bound in advance to PostgreSQL's claim. */
    void provideRealNodeVolume(RealNode node) {
        provideRealNodeVolume(node, volumeName(), "data-" + release + "-postgres-0");
    }

    /** A local PersistentVolume on the real node for the clinic chart's backups (clinic.backup.enabled). */
    void provideBackupVolume(RealNode node) {
        provideRealNodeVolume(node, backupVolumeName(), release + "-backups");
    }

    private void provideRealNodeVolume(RealNode node, String volume, String claim) {
        Path path = node.volume(volume);
        client.persistentVolumes()
                .resource(new PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName(volume)
                        .addToLabels("rollgate.dev/test", "true")
                        .endMetadata()
                        .withNewSpec()
                        .addToCapacity("storage", new Quantity("1Gi"))
                        .withAccessModes("ReadWriteOnce")
                        .withPersistentVolumeReclaimPolicy("Retain")
                        .withNewLocal()
                        .withPath(path.toString())
                        .endLocal()
                        .withNewNodeAffinity()
                        .withNewRequired()
                        .addNewNodeSelectorTerm()
                        .addNewMatchExpression()
                        .withKey("kubernetes.io/hostname")
                        .withOperator("In")
                        .withValues(node.name())
                        .endMatchExpression()
                        .endNodeSelectorTerm()
                        .endRequired()
                        .endNodeAffinity()
                        .withNewClaimRef()
                        .withNamespace(appNamespace)
                        .withName(claim)
                        .endClaimRef()
                        .endSpec()
                        .build())
                .serverSideApply();
    }

    private String volumeName() {
        return appNamespace + "-postgres-data";
    }

    private String backupVolumeName() {
        return appNamespace + "-backups";
    }

    /** Deletes the stand-in volumes, if there are any. */
    void remove() {
        client.persistentVolumes().withName(volumeName()).delete();
        client.persistentVolumes().withName(backupVolumeName()).delete();
    }
}
