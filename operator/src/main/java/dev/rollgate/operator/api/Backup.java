package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * A database backup taken by a Job before a Breaking migration, and the Job that restores it
 * when the user asks. Both run {@link #image} with {@link #env}, {@code ROLLGATE_BACKUP_ID} (the
 * backup's name, which the restore reads back) and {@code ROLLGATE_BACKUP_ACTION} (backup or
 * restore), in a pod shaped by {@link #pod}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Backup {

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(
            value = ApiDeploymentSpec.IMAGE_RULE,
            message = "backup.image must be a container image reference such as postgres:15 (lowercase repository, "
                    + "optional :tag, optional @sha256 digest)")
    @JsonPropertyDescription("Image of the backup and restore Jobs, e.g. one with pg_dump and pg_restore.")
    public String image;

    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription("Command of the backup Job; it must write the backup named by $ROLLGATE_BACKUP_ID "
            + "where the restore command finds it, and exit 0 only when it is complete.")
    public List<String> command;

    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription("Command of the restore Job: put the database back as backup $ROLLGATE_BACKUP_ID has it. "
            + "Runs only when asked (the rollgate.dev/restore annotation), with both tiers scaled to 0.")
    public List<String> restoreCommand;

    @Size(max = 64)
    @JsonPropertyDescription("Environment of both Jobs (e.g. the database's address and credentials from a Secret); "
            + "spec.env is not passed: these Jobs run another program.")
    public List<EnvVar> env;

    @Min(1)
    @Max(86400)
    @Default("600")
    @JsonPropertyDescription("How long each Job may run (1-86400 s, its activeDeadlineSeconds). Default 600.")
    public Integer timeoutSeconds = 600;

    @JsonPropertyDescription("CPU and memory requests and limits of the backup and restore containers.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Placement and shape of the Jobs' pods, as spec.api.pod: where the backups live "
            + "(volumes and volumeMounts), ServiceAccount, security contexts, nodeSelector, tolerations.")
    public PodOverlay pod;
}
