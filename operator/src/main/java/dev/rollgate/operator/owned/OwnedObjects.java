package dev.rollgate.operator.owned;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ImagePullPolicy;
import dev.rollgate.operator.api.PodOverlay;
import dev.rollgate.operator.api.Probe;
import dev.rollgate.operator.image.ImageReference;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The desired Deployments and Service of an ApiDeployment, as pure functions of (spec, image).
 * The image is the decider's choice, not necessarily {@code spec.image}: during a revert it is
 * the last known-good one. The Jobs are {@link OwnedJobs}; the HPA and PodDisruptionBudget
 * {@link ApiTierPolicies}.
 */
public final class OwnedObjects {
    private OwnedObjects() {}

    /**
     * On the api Deployment under autoscaling: who sets spec.replicas in Rollgate's applied
     * configuration, {@value #REPLICAS_BY_AUTOSCALER} (nobody: the HPA) or {@value #REPLICAS_BY_ROLLGATE}
     * (0 for a restore, or the HPA's minimum to bring a stopped tier back). Read back to know when
     * the field's ownership must be handed over before Rollgate stops applying it.
     */
    public static final String REPLICAS_ANNOTATION = "rollgate.dev/replicas";

    public static final String REPLICAS_BY_AUTOSCALER = "autoscaler";
    public static final String REPLICAS_BY_ROLLGATE = "rollgate";

    /** Env var that tells the app which role to play. */
    public static final String ROLE_ENV = "ROLLGATE_ROLE";
    /** Env var that tells the app which image it runs, for its /api/info. */
    public static final String IMAGE_ENV = "ROLLGATE_IMAGE";

    public static final String CONTAINER = "app";
    public static final String PORT_NAME = "http";

    public static Deployment deployment(ApiDeployment cr, Tier tier, String image) {
        return deployment(cr, tier, image, false);
    }

    /** {@code stopped}: 0 replicas, whatever the spec says (a restore is under way). */
    public static Deployment deployment(ApiDeployment cr, Tier tier, String image, boolean stopped) {
        ApiDeploymentSpec spec = cr.getSpec();
        PodOverlay overlay = tier == Tier.API ? spec.api.pod : spec.worker.pod;
        Deployment d = rendered(cr, tier, image);
        if (stopped) {
            d.getSpec().setReplicas(0);
        } else if (tier == Tier.API && spec.api.autoscaling != null) {
            // the HorizontalPodAutoscaler's field: never written, so never overwritten
            d.getSpec().setReplicas(null);
        }
        if (tier == Tier.API && spec.api.autoscaling != null) {
            d.getMetadata()
                    .getAnnotations()
                    .put(
                            REPLICAS_ANNOTATION,
                            d.getSpec().getReplicas() == null ? REPLICAS_BY_AUTOSCALER : REPLICAS_BY_ROLLGATE);
        }
        if (overlay != null) {
            PodTemplateOverlay.apply(d.getSpec().getTemplate(), overlay);
        }
        return d;
    }

    /** What Rollgate itself renders, before the user's pod overlay. */
    private static Deployment rendered(ApiDeployment cr, Tier tier, String image) {
        ApiDeploymentSpec spec = cr.getSpec();
        int replicas = tier == Tier.API ? spec.api.replicas : spec.worker.replicas;
        var resources = tier == Tier.API ? spec.api.resources : spec.worker.resources;
        ImageReference ref = ImageReference.parse(image);
        var podLabels = Labels.common(cr, tier);
        podLabels.put(Labels.VERSION, ref.labelSafeVersion());
        return new DeploymentBuilder()
                .withMetadata(meta(cr, tier))
                .withNewSpec()
                .withReplicas(replicas)
                .withMinReadySeconds(spec.rollout.minReadySeconds)
                .withProgressDeadlineSeconds(spec.rollout.timeoutSeconds)
                .withRevisionHistoryLimit(5)
                .withNewSelector()
                .withMatchLabels(Labels.selector(cr, tier))
                .endSelector()
                // New pods come up before old ones go: the tier keeps serving while a bad image fails.
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString("25%"))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .endMetadata()
                .withNewSpec()
                .withImagePullSecrets(spec.imagePullSecrets)
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(image)
                .withImagePullPolicy(pullPolicy(ref))
                .withEnv(env(spec, tier, image))
                .withEnvFrom(spec.envFrom)
                .addNewPort()
                .withName(PORT_NAME)
                .withContainerPort(spec.api.port)
                .withProtocol("TCP")
                .endPort()
                .withReadinessProbe(probe(spec.probes.readiness))
                .withLivenessProbe(probe(spec.probes.liveness))
                .withStartupProbe(probe(spec.probes.startup))
                .withResources(resources)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * IfNotPresent for a digest-pinned image: its bits cannot change, so a node that has them need
     * not ask the registry. None for a tag: Kubernetes then defaults it (Always for :latest or no
     * tag, IfNotPresent otherwise), and Rollgate does not claim a tag is immutable when it is not.
     * A pod overlay's imagePullPolicy overrides either.
     */
    static String pullPolicy(ImageReference image) {
        return image.isDigestPinned() ? ImagePullPolicy.IfNotPresent.name() : null;
    }

    public static Service service(ApiDeployment cr) {
        return new ServiceBuilder()
                .withMetadata(meta(cr, Tier.API))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.selector(cr, Tier.API))
                .addNewPort()
                .withName(PORT_NAME)
                .withPort(cr.getSpec().api.port)
                .withTargetPort(new IntOrString(PORT_NAME))
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }

    static ObjectMeta meta(ApiDeployment cr, Tier tier) {
        return meta(cr, tier.objectName(cr), Labels.common(cr, tier));
    }

    static ObjectMeta meta(ApiDeployment cr, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(cr.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(new java.util.LinkedHashMap<>())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(cr.getApiVersion())
                        .withKind(cr.getKind())
                        .withName(cr.getMetadata().getName())
                        .withUid(cr.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .build();
    }

    private static List<EnvVar> env(ApiDeploymentSpec spec, Tier tier, String image) {
        // A user's variable of the same name wins; a duplicate name would also break server-side
        // apply, which keys the env list by name.
        List<EnvVar> env = new ArrayList<>();
        if (spec.env.stream().noneMatch(e -> ROLE_ENV.equals(e.getName()))) {
            env.add(new EnvVarBuilder().withName(ROLE_ENV).withValue(tier.role).build());
        }
        if (spec.env.stream().noneMatch(e -> IMAGE_ENV.equals(e.getName()))) {
            env.add(new EnvVarBuilder().withName(IMAGE_ENV).withValue(image).build());
        }
        env.addAll(spec.env);
        return env;
    }

    private static io.fabric8.kubernetes.api.model.Probe probe(Probe p) {
        if (p == null) {
            return null;
        }
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(p.path)
                .withPort(new IntOrString(PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(p.periodSeconds)
                .withFailureThreshold(p.failureThreshold)
                .withTimeoutSeconds(p.timeoutSeconds)
                .withInitialDelaySeconds(p.initialDelaySeconds)
                .build();
    }
}
