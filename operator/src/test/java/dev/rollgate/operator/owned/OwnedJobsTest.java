package dev.rollgate.operator.owned;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.PodOverlay;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Jobs an ApiDeployment owns: the migration Job (spec.migration). */
class OwnedJobsTest {

    @Test
    void migrationJobRunsTheImageOnceAsTheMigrateRoleShapedLikeAnApiPod() {
        ApiDeployment cr = OwnedObjectsTest.cr();
        cr.getSpec()
                .env
                .add(new EnvVarBuilder()
                        .withName("ROLLGATE_ROLE")
                        .withValue("api")
                        .build());
        cr.getSpec()
                .env
                .add(new EnvVarBuilder()
                        .withName("CLINIC_DB_URL")
                        .withValue("jdbc:postgresql://db/clinic")
                        .build());
        cr.getSpec()
                .env
                .add(new EnvVarBuilder()
                        .withName("CLINIC_FLYWAY_LOCATIONS")
                        .withValue("classpath:a")
                        .build());
        cr.getSpec().migration = new dev.rollgate.operator.api.Migration();
        cr.getSpec().migration.timeoutSeconds = 90;
        cr.getSpec().migration.args = List.of("--verbose");
        cr.getSpec().migration.env = List.of(new EnvVarBuilder()
                .withName("CLINIC_FLYWAY_LOCATIONS")
                .withValue("classpath:a,filesystem:/m")
                .build());
        cr.getSpec().api.pod = new PodOverlay();
        cr.getSpec().api.pod.serviceAccountName = "clinic-migrator";

        var job = OwnedJobs.migrationJob(cr, "clinic-migrate-0123456789", "registry.example.com/clinic:1.4.2");
        assertThat(job.getMetadata().getName()).isEqualTo("clinic-migrate-0123456789");
        assertThat(job.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/component", "migration")
                .containsEntry("app.kubernetes.io/managed-by", "rollgate");
        assertThat(job.getMetadata().getOwnerReferences().get(0).getController())
                .isTrue();
        assertThat(job.getSpec().getBackoffLimit())
                .as("a failed migration is not retried blindly")
                .isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(90L);
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo("clinic-migrator");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", "clinic")
                .containsEntry("app.kubernetes.io/component", "migration");
        var c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example.com/clinic:1.4.2");
        assertThat(c.getArgs()).containsExactly("--verbose");
        assertThat(c.getReadinessProbe()).isNull();
        assertThat(c.getPorts()).isEmpty();
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        Map<String, String> env = new LinkedHashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        // the role is always migrate; spec.env otherwise as the tiers get it; spec.migration.env wins
        assertThat(env)
                .containsEntry("ROLLGATE_ROLE", "migrate")
                .containsEntry("ROLLGATE_IMAGE", "mine")
                .containsEntry("CLINIC_DB_URL", "jdbc:postgresql://db/clinic")
                .containsEntry("CLINIC_FLYWAY_LOCATIONS", "classpath:a,filesystem:/m");
        assertThat(c.getEnv()).extracting(e -> e.getName()).doesNotHaveDuplicates();
    }
}
