package dev.rollgate.operator.it;

import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.Backup;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.Migration;
import dev.rollgate.operator.api.PodOverlay;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The specs and reads the migration and backup ITs share. */
final class MigrationSpecs {
    private MigrationSpecs() {}

    /** A Breaking migration with spec.backup; {@code annotations} go on the backup and restore pods. */
    static Consumer<ApiDeploymentSpec> withBackup(Map<String, String> annotations) {
        return withMigration(Compatibility.Breaking, m -> {}).andThen(spec -> {
            spec.backup = new Backup();
            spec.backup.image = "registry.example.com/pgtools:15";
            spec.backup.command = List.of("dump-it");
            spec.backup.restoreCommand = List.of("restore-it");
            spec.backup.timeoutSeconds = 60;
            if (!annotations.isEmpty()) {
                spec.backup.pod = new PodOverlay();
                spec.backup.pod.annotations = annotations;
            }
        });
    }

    static Consumer<ApiDeploymentSpec> withMigration(Compatibility compatibility, Consumer<Migration> tweak) {
        return spec -> {
            spec.api.replicas = 2;
            spec.worker.replicas = 1;
            spec.rollout.timeoutSeconds = 60;
            spec.env.add(new EnvVarBuilder()
                    .withName("CLINIC_DB_URL")
                    .withValue("jdbc:postgresql://db/clinic")
                    .build());
            spec.migration = new Migration();
            spec.migration.compatibility = compatibility;
            spec.migration.timeoutSeconds = 60;
            tweak.accept(spec.migration);
        };
    }

    static List<Job> jobs(Scenario s) {
        return s.client.batch().v1().jobs().inNamespace(s.namespace).list().getItems();
    }
}
