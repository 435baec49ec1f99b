package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

/**
 * Where a tier's pods run and how they are shaped, merged into the pod template Rollgate
 * renders. Rollgate's own fields win: container name, image, the env it owns, probes, ports and
 * the {@code app.kubernetes.io/*} labels the Deployment selects pods by. Every field is optional
 * and absent means what Rollgate did before the overlay existed.
 *
 * <p>The bounds ({@code @Size}, and the name lengths {@link CrdPostProcessing} adds) keep the API
 * server's CEL cost estimate of the rules below finite.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "!has(self.volumeMounts) || self.volumeMounts.all(m, has(self.volumes) && self.volumes.exists(v, v.name == m.name))",
        fieldPath = ".volumeMounts",
        message =
                "pod.volumeMounts: every mount must name a volume of the same pod.volumes; add that volume to pod.volumes "
                        + "or correct the mount's name")
public class PodOverlay {

    /** The labels Rollgate puts on every pod; the first three are the Deployment's selector. */
    public static final List<String> RESERVED_LABELS = List.of(
            "app.kubernetes.io/name",
            "app.kubernetes.io/instance",
            "app.kubernetes.io/component",
            "app.kubernetes.io/part-of",
            "app.kubernetes.io/managed-by",
            "app.kubernetes.io/version");
    /** A key lookup per reserved label: constant cost, whatever the length of the user's keys. */
    public static final String RESERVED_LABELS_RULE = "!('app.kubernetes.io/name' in self) "
            + "&& !('app.kubernetes.io/instance' in self) && !('app.kubernetes.io/component' in self) "
            + "&& !('app.kubernetes.io/part-of' in self) && !('app.kubernetes.io/managed-by' in self) "
            + "&& !('app.kubernetes.io/version' in self)";

    @Size(max = 64)
    @ValidationRule(
            value = RESERVED_LABELS_RULE,
            message = "pod.labels must not use the app.kubernetes.io/ keys Rollgate sets on every pod (name, instance, "
                    + "component, part-of, managed-by, version; the Deployment selects pods by them): remove them or use a key "
                    + "of your own, e.g. example.com/team")
    @JsonPropertyDescription(
            "Labels added to the pod template (at most 64). The keys app.kubernetes.io/name, instance, "
                    + "component, part-of, managed-by and version are Rollgate's and rejected.")
    public Map<String, String> labels;

    @Size(max = 64)
    @JsonPropertyDescription("Annotations added to the pod template (at most 64), e.g. for a metrics scraper.")
    public Map<String, String> annotations;

    @Size(max = 32)
    @JsonPropertyDescription("Node labels a pod's node must carry (pod spec nodeSelector, at most 32).")
    public Map<String, String> nodeSelector;

    @Size(max = 32)
    @JsonPropertyDescription("Taints the pods tolerate (pod spec tolerations, at most 32).")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Node and pod (anti-)affinity of the pods (pod spec affinity).")
    public Affinity affinity;

    @Size(max = 16)
    @JsonPropertyDescription("How the pods spread over zones or nodes (pod spec topologySpreadConstraints, at most 16, "
            + "one per topologyKey and whenUnsatisfiable). Select the tier's pods with the labels app.kubernetes.io/instance "
            + "and app.kubernetes.io/component.")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @Size(max = 253)
    @JsonPropertyDescription("ServiceAccount the pods run as. Default: the namespace's default ServiceAccount.")
    public String serviceAccountName;

    @JsonPropertyDescription("Pod-level security context (runAsUser, fsGroup, seccompProfile, ...).")
    public PodSecurityContext securityContext;

    @JsonPropertyDescription(
            "Security context of the app container (runAsNonRoot, readOnlyRootFilesystem, " + "capabilities, ...).")
    public SecurityContext containerSecurityContext;

    @Size(max = 64)
    @JsonPropertyDescription("Volumes of the pod (at most 64, unique names of at most 63 characters); mount them in "
            + "the app container with volumeMounts.")
    public List<Volume> volumes;

    @Size(max = 64)
    @JsonPropertyDescription(
            "Mounts in the app container (at most 64, unique mountPath); each must name a volume of " + "volumes.")
    public List<VolumeMount> volumeMounts;

    @Size(max = 253)
    @JsonPropertyDescription("PriorityClass of the pods. Default: the cluster's default priority.")
    public String priorityClassName;

    @Min(0)
    @Max(86400)
    @JsonPropertyDescription(
            "Seconds a pod gets to stop after SIGTERM before it is killed (0-86400). Default 30 " + "(Kubernetes').")
    public Long terminationGracePeriodSeconds;

    @JsonPropertyDescription("When the kubelet pulls the app container's image: Always, IfNotPresent or Never. "
            + "Default: IfNotPresent for an image pinned by digest (immutable); otherwise unset, so Kubernetes' default "
            + "applies (Always for :latest or no tag, else IfNotPresent).")
    public ImagePullPolicy imagePullPolicy;
}
