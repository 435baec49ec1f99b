package dev.rollgate.operator.owned;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.Migration;
import dev.rollgate.operator.api.PodOverlay;
import dev.rollgate.operator.image.ImageReference;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * The desired Jobs of an ApiDeployment (a rollout's migration, the backup before a Breaking
 * migration, a restore), as pure functions of (spec, name, image), and when such a Job is over.
 */
public final class OwnedJobs {
    private OwnedJobs() {}

    /** Env value of {@link OwnedObjects#ROLE_ENV} in the migration Job. */
    public static final String MIGRATE_ROLE = "migrate";

    /**
     * The migration Job of one rollout: {@code image} run once (backoffLimit 0, restartPolicy
     * Never) with the ApiDeployment's env and envFrom, {@code ROLLGATE_ROLE=migrate} and
     * spec.migration.env, shaped like an api pod by spec.api.pod, stopped after
     * spec.migration.timeoutSeconds. On failure the last lines of its log become the container's
     * termination message, which the rollout's status then quotes.
     */
    public static Job migrationJob(ApiDeployment cr, String name, String image) {
        ApiDeploymentSpec spec = cr.getSpec();
        Migration m = spec.migration;
        // spec.env as the tiers get it, but the role is always migrate; spec.migration.env last, winning
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder()
                .withName(OwnedObjects.IMAGE_ENV)
                .withValue(image)
                .build());
        spec.env.stream()
                .filter(e -> !OwnedObjects.ROLE_ENV.equals(e.getName()))
                .forEach(e -> put(env, e));
        put(
                env,
                new EnvVarBuilder()
                        .withName(OwnedObjects.ROLE_ENV)
                        .withValue(MIGRATE_ROLE)
                        .build());
        if (m.env != null) {
            m.env.forEach(e -> put(env, e));
        }
        return job(
                cr,
                name,
                Labels.MIGRATION,
                image,
                m.command,
                m.args,
                env,
                spec.envFrom,
                m.resources,
                spec.api.pod,
                m.timeoutSeconds);
    }

    /** Env value of {@link #BACKUP_ACTION_ENV}: what a backup-image Job is asked to do. */
    public static final String BACKUP_ID_ENV = "ROLLGATE_BACKUP_ID";

    public static final String BACKUP_ACTION_ENV = "ROLLGATE_BACKUP_ACTION";

    /**
     * The backup Job before a Breaking migration ({@code restore} false), or the restore Job a
     * user asked for: spec.backup.image with spec.backup.env, {@code ROLLGATE_BACKUP_ID} and
     * {@code ROLLGATE_BACKUP_ACTION=backup|restore}, shaped by spec.backup.pod, run once.
     */
    public static Job backupJob(ApiDeployment cr, String name, String backupId, boolean restore) {
        var b = cr.getSpec().backup;
        List<EnvVar> env = new ArrayList<>();
        if (b.env != null) {
            b.env.forEach(e -> put(env, e));
        }
        put(env, new EnvVarBuilder().withName(BACKUP_ID_ENV).withValue(backupId).build());
        put(
                env,
                new EnvVarBuilder()
                        .withName(BACKUP_ACTION_ENV)
                        .withValue(restore ? "restore" : "backup")
                        .build());
        return job(
                cr,
                name,
                restore ? Labels.RESTORE : Labels.BACKUP,
                b.image,
                restore ? b.restoreCommand : b.command,
                null,
                env,
                List.of(),
                b.resources,
                b.pod,
                b.timeoutSeconds);
    }

    /**
     * A Job run once (backoffLimit 0, restartPolicy Never) for {@code cr}: one container, no probes
     * or ports, stopped after {@code timeoutSeconds}; on failure the end of its log becomes the
     * container's termination message, which status then quotes.
     */
    private static Job job(
            ApiDeployment cr,
            String name,
            String component,
            String image,
            List<String> command,
            List<String> args,
            List<EnvVar> env,
            List<EnvFromSource> envFrom,
            ResourceRequirements resources,
            PodOverlay overlay,
            int timeoutSeconds) {
        ApiDeploymentSpec spec = cr.getSpec();
        ImageReference ref = ImageReference.parse(image);
        var podLabels = Labels.common(cr, component);
        podLabels.put(Labels.VERSION, ref.labelSafeVersion());
        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(podLabels)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withImagePullSecrets(spec.imagePullSecrets)
                .addNewContainer()
                .withName(OwnedObjects.CONTAINER)
                .withImage(image)
                .withImagePullPolicy(OwnedObjects.pullPolicy(ref))
                .withCommand(command)
                .withArgs(args)
                .withEnv(env)
                .withEnvFrom(envFrom)
                .withResources(resources)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .endContainer()
                .endSpec()
                .build();
        if (overlay != null) {
            PodTemplateOverlay.apply(template, overlay);
        }
        return new JobBuilder()
                .withMetadata(OwnedObjects.meta(cr, name, Labels.common(cr, component)))
                .withNewSpec()
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds((long) timeoutSeconds)
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /** Adds {@code e}, replacing a variable of the same name (server-side apply keys env by name). */
    private static void put(List<EnvVar> env, EnvVar e) {
        env.removeIf(other -> other.getName().equals(e.getName()));
        env.add(e);
    }

    /** The Job's Complete or Failed condition when it is True, else null. */
    public static JobCondition finished(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()))
                .findFirst()
                .orElse(null);
    }
}
