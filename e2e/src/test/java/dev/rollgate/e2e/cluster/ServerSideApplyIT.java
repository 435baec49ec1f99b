package dev.rollgate.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rollgate.testkit.TestNamespace;
import dev.rollgate.testkit.WithKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Server-side apply: the API server merges by field manager and records who owns which field. */
@WithKubernetes
class ServerSideApplyIT {

    @Test
    void anAppliedObjectRecordsItsFieldManager(KubernetesClient client, TestNamespace ns) {
        // when
        ConfigMap applied = client.configMaps()
                .inNamespace(ns.name())
                .resource(settings("blue"))
                .fieldManager("rollgate-e2e")
                .serverSideApply();

        // then
        assertThat(applied.getData()).containsEntry("colour", "blue");
        ManagedFieldsEntry entry = manager(applied, "rollgate-e2e").orElseThrow();
        assertThat(entry.getOperation()).isEqualTo("Apply");
        assertThat(entry.getFieldsV1().getAdditionalProperties()).containsKey("f:data");
    }

    @Test
    void anotherManagerConflictsUntilItForcesAndThenOwnsTheField(KubernetesClient client, TestNamespace ns) {
        // given
        client.configMaps()
                .inNamespace(ns.name())
                .resource(settings("blue"))
                .fieldManager("rollgate-e2e")
                .serverSideApply();

        // when another manager sets the same field
        KubernetesClientException conflict = catchThrowableOfType(
                () -> client.configMaps()
                        .inNamespace(ns.name())
                        .resource(settings("red"))
                        .fieldManager("someone-else")
                        .serverSideApply(),
                KubernetesClientException.class);
        ConfigMap forced = client.configMaps()
                .inNamespace(ns.name())
                .resource(settings("red"))
                .fieldManager("someone-else")
                .forceConflicts()
                .serverSideApply();

        // then
        assertThat(conflict).isNotNull();
        assertThat(conflict.getCode()).isEqualTo(409);
        assertThat(conflict.getStatus().getMessage()).contains("rollgate-e2e");
        assertThat(forced.getData()).containsEntry("colour", "red");
        assertThat(manager(forced, "someone-else")).isPresent();
        assertThat(manager(forced, "rollgate-e2e")).as("lost its only field").isEmpty();
    }

    private static ConfigMap settings(String colour) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("colour", colour)
                .build();
    }

    private static Optional<ManagedFieldsEntry> manager(ConfigMap cm, String manager) {
        return cm.getMetadata().getManagedFields().stream()
                .filter(m -> manager.equals(m.getManager()))
                .findFirst();
    }
}
