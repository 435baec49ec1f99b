package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How one rollout is gated and judged. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.minReadySeconds < self.timeoutSeconds",
        message = "rollout.minReadySeconds must be smaller than rollout.timeoutSeconds, "
                + "or no pod could become available before the deadline")
public class RolloutPolicy {

    @Min(1)
    @Max(86400)
    @Default("300")
    @JsonPropertyDescription(
            "Progress deadline in seconds (1-86400), also the Deployments' progressDeadlineSeconds: the "
                    + "rollout (or revert) fails when neither tier has made progress (a new pod created, ready or available, an old "
                    + "one removed) for this long. A rollout that keeps progressing on a busy cluster is not failed. Default 300.")
    public Integer timeoutSeconds = 300;

    @Min(1)
    @Max(604800)
    @JsonPropertyDescription("Optional hard bound in seconds (1-604800): the rollout fails when not complete this long "
            + "after it started, progress or not. Unset by default: only a lack of progress fails a rollout.")
    public Integer maxDurationSeconds;

    @Min(0)
    @Max(3600)
    @Default("10")
    @JsonPropertyDescription("Seconds a new pod must stay ready before it counts as available (0-3600). Default 10.")
    public Integer minReadySeconds = 10;

    @Default("true")
    @JsonPropertyDescription("Fail the rollout as soon as a new pod is in CrashLoopBackOff, ImagePullBackOff or "
            + "ErrImagePull, instead of waiting for the deadline. Default true.")
    public Boolean failFast = true;

    @Default("Revert")
    @JsonPropertyDescription("What to do when a rollout fails: Revert puts both tiers back on the last known-good "
            + "image; Hold leaves them as they are for inspection. Default Revert.")
    public OnFailure onFailure = OnFailure.Revert;

    @Default("Pods")
    @JsonPropertyDescription(
            "How the digest of spec.image is learned. Pods (default): both tiers roll to spec.image as "
                    + "written and the digest their ready pods report becomes the known-good digest a revert goes back to. Registry: "
                    + "the registry resolves the tag first (credentials from spec.imagePullSecrets) and both tiers roll to "
                    + "<image>@<digest>, one set of bits even if the tag moves; no rollout starts until it resolves. None: never "
                    + "pin; a revert goes back to the tag.")
    public ImageResolution imageResolution = ImageResolution.Pods;

    @Default("false")
    @JsonPropertyDescription("While true Rollgate changes nothing; a rollout in flight resumes when set back to false.")
    public Boolean paused = false;
}
