package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * The migration gate: before either tier changes, the new image runs once as a Job (the
 * ApiDeployment's env and envFrom, {@code ROLLGATE_ROLE=migrate}, shaped like an api pod by
 * spec.api.pod) and the tiers roll only when it completes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Migration {

    @Size(max = 32)
    @JsonPropertyDescription("Entrypoint of the migration container (at most 32 items); absent means the image's own, "
            + "which for clinic reads ROLLGATE_ROLE=migrate, applies its Flyway migrations and exits.")
    public List<String> command;

    @Size(max = 64)
    @JsonPropertyDescription("Arguments of the migration container (at most 64 items).")
    public List<String> args;

    @Size(max = 32)
    @JsonPropertyDescription("Variables for the migration only, after spec.env (a name given in both wins here).")
    public List<EnvVar> env;

    @Min(1)
    @Max(86400)
    @Default("600")
    @JsonPropertyDescription("How long the migration Job may run (1-86400 s, the Job's activeDeadlineSeconds): past it "
            + "the Job is stopped and the rollout fails with neither tier changed. Default 600.")
    public Integer timeoutSeconds = 600;

    @JsonPropertyDescription("CPU and memory requests and limits of the migration container.")
    public ResourceRequirements resources;

    @Default("Expand")
    @JsonPropertyDescription("Expand (default): the previous image works on the migrated schema, so a failed rollout "
            + "after the migration reverts the image as usual. Breaking: it may not, so a failed rollout after the "
            + "migration does what afterFailure says.")
    public Compatibility compatibility = Compatibility.Expand;

    @Default("Hold")
    @JsonPropertyDescription("After a failed rollout whose Breaking migration ran: Hold (default) leaves both tiers as "
            + "they are, phase Failed, with a RestoreAvailable condition saying how to go back; RevertImage reverts the image "
            + "anyway. Ignored for Expand migrations.")
    public AfterBreakingFailure afterFailure = AfterBreakingFailure.Hold;
}
