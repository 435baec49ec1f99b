package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rollgate.operator.image.ImageReference;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.ArrayList;
import java.util.List;

/** What the user asks for: one image for both tiers, and how to roll it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiDeploymentSpec {

    /**
     * A reference such as {@code registry.example.com/clinic:1.4.2} or
     * {@code clinic@sha256:<64 hex>}; lowercase repository path, optional registry host with
     * port, optional tag, optional digest. The regex is {@link ImageReference#REGEX}, the grammar
     * {@code ImageReference.parse} accepts, so that admission and the operator cannot disagree.
     */
    public static final String IMAGE_RULE = "self.matches('" + ImageReference.REGEX + "')";

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(
            value = IMAGE_RULE,
            message = "spec.image must be a container image reference such as registry.example.com/clinic:1.4.2 "
                    + "or clinic@sha256:<64 hex digits> (lowercase repository, optional :tag, optional @sha256 digest)")
    @JsonPropertyDescription("Container image of both tiers, by tag or digest, e.g. registry.example.com/clinic:1.4.2. "
            + "Changing it starts a rollout.")
    public String image;

    @JsonPropertyDescription("Secrets used to pull the image, copied into both pod templates.")
    public List<LocalObjectReference> imagePullSecrets = new ArrayList<>();

    /** Linux refuses to start a process with a single environment string longer than this (MAX_ARG_STRLEN). */
    public static final int ENV_VALUE_MAX = 131072;
    /** A bound on all values together, well under what execve accepts for arguments and environment. */
    public static final int ENV_TOTAL_MAX = 1048576;

    @Size(max = 256)
    @ValidationRule(
            value = "self.all(e, !has(e.value) || e.value.size() <= " + ENV_VALUE_MAX + ")",
            message =
                    "spec.env: a value may be at most 128 KiB (131072 bytes): the kernel refuses to start a process with "
                            + "a longer environment string (execve fails with E2BIG); put large data in a ConfigMap or Secret and mount "
                            + "it as a file (spec.api.pod.volumes)")
    @ValidationRule(
            value = "self.map(e, has(e.value) ? e.value.size() : 0).sum() <= " + ENV_TOTAL_MAX,
            message = "spec.env: the values together may be at most 1 MiB (1048576 bytes), or the containers might not "
                    + "start; move large values into a ConfigMap or Secret mounted as files")
    @JsonPropertyDescription(
            "Environment variables shared by both tiers (standard Kubernetes EnvVar; at most 256, each "
                    + "value at most 128 KiB, all values together at most 1 MiB).")
    public List<EnvVar> env = new ArrayList<>();

    @JsonPropertyDescription("Sources of environment variables shared by both tiers, e.g. the database Secret.")
    public List<EnvFromSource> envFrom = new ArrayList<>();

    @JsonPropertyDescription("The HTTP api tier: Deployment <name>-api and Service <name>-api.")
    @Default("{}")
    public ApiTier api = new ApiTier();

    @JsonPropertyDescription(
            "The background worker tier: Deployment <name>-worker. replicas 0 means no running worker.")
    @Default("{}")
    public WorkerTier worker = new WorkerTier();

    @JsonPropertyDescription("HTTP probes of both tiers; the defaults fit the clinic app (Quarkus SmallRye Health).")
    @Default("{}")
    public Probes probes = new Probes();

    @JsonPropertyDescription("Objects the tiers depend on. Rollgate reads them and never writes them.")
    @Default("{}")
    public Dependencies dependencies = new Dependencies();

    @JsonPropertyDescription(
            "A migration run once from the new image, as a Job, before either tier changes: the tiers "
                    + "roll only when it completes; if it fails or times out the rollout fails with nothing changed. Absent: no gate.")
    public Migration migration;

    @JsonPropertyDescription("A database backup Job run before a Breaking migration (spec.migration.compatibility "
            + "Breaking), and the Job that restores it when asked (annotation rollgate.dev/restore=<backup id>). Absent: no "
            + "backup; a failed rollout after a Breaking migration then holds with nothing to restore.")
    public Backup backup;

    @JsonPropertyDescription("How a rollout is gated, judged and undone.")
    @Default("{}")
    public RolloutPolicy rollout = new RolloutPolicy();
}
