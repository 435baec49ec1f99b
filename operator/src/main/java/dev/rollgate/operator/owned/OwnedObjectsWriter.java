package dev.rollgate.operator.owned;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.rollout.ApplyOutcome;
import dev.rollgate.operator.rollout.Decision;
import dev.rollgate.operator.rollout.JobRun;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writes what a decision asks for: the Job, then both Deployments, the Service, the HPA and the
 * PodDisruptionBudget. Deployments, Service, HPA and PodDisruptionBudget by server-side apply with
 * the reconciler's field manager (through {@link Context#resourceOperations()}), skipped when the
 * cache shows nothing would change; an HPA or PodDisruptionBudget the spec no longer asks for is
 * deleted; a Job is created (409: it exists already) and finished Jobs beyond the last few are
 * deleted. One write uses a second field manager, {@code rollgate-replicas-handover}: the one-off
 * apply that hands an api Deployment's replicas over to its HPA. Stops at the first write the API
 * server refuses and says so in an {@link ApplyOutcome}.
 */
@Singleton
public class OwnedObjectsWriter {
    private static final Logger LOG = Logger.getLogger(OwnedObjectsWriter.class);

    /** The field manager that keeps spec.replicas while Rollgate hands it to the HPA. */
    static final String REPLICAS_HANDOVER_MANAGER = "rollgate-replicas-handover";

    /** How many finished Jobs of each kind (with their pods and logs) stay for a look after the fact. */
    static final int JOBS_KEPT = 3;

    private final KubernetesClient client;

    public OwnedObjectsWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Returns the API server's words for the first refused write (no stack trace); null when the
     * decision asked for no write, or the namespace is being deleted (nothing can be created there
     * any more, and nothing needs to be).
     */
    public ApplyOutcome write(Context<ApiDeployment> ctx, ApiDeployment cr, Decision d) {
        if (d.runJob().isEmpty() && d.applyImage().isEmpty()) {
            return null;
        }
        try {
            if (d.runJob().isPresent()) {
                runJob(ctx, cr, d.runJob().get());
            }
            if (d.applyImage().isPresent()) {
                String image = d.applyImage().get();
                apply(
                        ctx,
                        autoscaled(ctx, cr, OwnedObjects.deployment(cr, Tier.API, image, d.stopTiers())),
                        Deployment.class,
                        Drift.DEPLOYMENT);
                apply(
                        ctx,
                        OwnedObjects.deployment(cr, Tier.WORKER, image, d.stopTiers()),
                        Deployment.class,
                        Drift.DEPLOYMENT);
                apply(ctx, OwnedObjects.service(cr), Service.class, Drift.SERVICE);
                applyOrDelete(
                        ctx, ApiTierPolicies.autoscaler(cr), HorizontalPodAutoscaler.class, Tier.API.objectName(cr));
                applyOrDelete(
                        ctx, ApiTierPolicies.disruptionBudget(cr), PodDisruptionBudget.class, Tier.API.objectName(cr));
            }
            return ApplyOutcome.SUCCEEDED;
        } catch (Refused r) {
            if (r.namespaceTerminating()) {
                LOG.debugf(
                        "%s/%s: namespace is being deleted, %s not written",
                        cr.getMetadata().getNamespace(), cr.getMetadata().getName(), r.object);
                return null;
            }
            return ApplyOutcome.refused(r.getMessage());
        }
    }

    /**
     * The api Deployment under autoscaling, where Rollgate leaves spec.replicas to the HPA. Before
     * the first apply without it, the field's ownership is handed over (applied once, same value,
     * by a manager of its own): server-side apply would otherwise reset a field its manager stops
     * applying, scaling the tier to 1. A tier at 0 (after a restore) is brought to minReplicas
     * (an HPA does not scale a target at 0), and handed over the next time.
     */
    private Deployment autoscaled(Context<ApiDeployment> ctx, ApiDeployment cr, Deployment desired) {
        var autoscaling = cr.getSpec().api.autoscaling;
        Deployment live = cached(ctx, Deployment.class, desired.getMetadata().getName());
        if (autoscaling == null || desired.getSpec().getReplicas() != null || live == null) {
            return desired; // (a new Deployment starts at the API server's default, and the HPA takes it from there)
        }
        Integer replicas = live.getSpec().getReplicas();
        if (replicas != null && replicas == 0) {
            desired.getSpec().setReplicas(autoscaling.minReplicas);
            desired.getMetadata()
                    .getAnnotations()
                    .put(OwnedObjects.REPLICAS_ANNOTATION, OwnedObjects.REPLICAS_BY_ROLLGATE);
            return desired;
        }
        String by = live.getMetadata().getAnnotations() == null
                ? null
                : live.getMetadata().getAnnotations().get(OwnedObjects.REPLICAS_ANNOTATION);
        if (!OwnedObjects.REPLICAS_BY_AUTOSCALER.equals(by)) {
            Deployment handover = new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(live.getMetadata().getName())
                    .withNamespace(live.getMetadata().getNamespace())
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .endSpec()
                    .build();
            try {
                client.resource(handover)
                        .fieldManager(REPLICAS_HANDOVER_MANAGER)
                        .serverSideApply();
            } catch (KubernetesClientException e) {
                throw new Refused(desired, e);
            }
        }
        return desired;
    }

    private static <R extends HasMetadata> R cached(Context<ApiDeployment> ctx, Class<R> type, String name) {
        return ctx.getSecondaryResources(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** Applies {@code desired} when present; deletes the cached object of that name when not. */
    private <R extends HasMetadata> void applyOrDelete(
            Context<ApiDeployment> ctx, Optional<R> desired, Class<R> type, String name) {
        if (desired.isPresent()) {
            apply(ctx, desired.get(), type, Drift.none());
            return;
        }
        R live = cached(ctx, type, name);
        if (live != null) {
            try {
                client.resource(live).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw new Refused(live, e);
                }
            }
        }
    }

    /**
     * Creates the rollout's migration Job unless the cache already has it. Create, not apply: a Job
     * is never changed once it exists, and a 409 means it does (the cache was behind). Then the
     * finished migration Jobs of this ApiDeployment beyond the newest {@link #JOBS_KEPT} go.
     */
    private void runJob(Context<ApiDeployment> ctx, ApiDeployment cr, JobRun run) {
        var mine = ctx.getSecondaryResources(Job.class);
        if (mine.stream().noneMatch(j -> j.getMetadata().getName().equals(run.name()))) {
            Job desired = switch (run.kind()) {
                case MIGRATION -> OwnedJobs.migrationJob(cr, run.name(), run.image());
                case BACKUP -> OwnedJobs.backupJob(cr, run.name(), run.backupId(), false);
                case RESTORE -> OwnedJobs.backupJob(cr, run.name(), run.backupId(), true);
            };
            try {
                client.resource(desired).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new Refused(desired, e);
                }
            }
        }
        // per kind (migration, backup, restore): a backup's data outlives its Job, which only holds its log
        String component = Labels.jobComponent(run.kind());
        mine.stream()
                .filter(j -> component.equals(j.getMetadata().getLabels().get(Labels.COMPONENT))
                        && OwnedJobs.finished(j) != null)
                .sorted(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp())
                        .reversed())
                .skip(JOBS_KEPT)
                .forEach(j -> {
                    try {
                        client.resource(j)
                                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                                .delete();
                    } catch (KubernetesClientException e) {
                        LOG.infof(
                                "%s/%s: old Job %s not deleted yet: %s",
                                cr.getMetadata().getNamespace(),
                                cr.getMetadata().getName(),
                                j.getMetadata().getName(),
                                e.getMessage());
                    }
                });
    }

    /**
     * Server-side apply with our field manager. Applying an unchanged object is a no-op on the
     * server but still a request, so it is skipped when the cached object carries the hash of the
     * same desired object and nobody changed, behind our back, the live fields Rollgate corrects
     * ({@link Drift}).
     */
    private <R extends HasMetadata> void apply(
            Context<ApiDeployment> ctx, R desired, Class<R> type, List<Drift.Field<R>> corrected) {
        String hash = SpecHash.of(desired);
        desired.getMetadata().getAnnotations().put(SpecHash.ANNOTATION, hash);
        R current = cached(ctx, type, desired.getMetadata().getName());
        if (current != null
                && current.getMetadata().getAnnotations() != null
                && hash.equals(current.getMetadata().getAnnotations().get(SpecHash.ANNOTATION))
                && Drift.unchanged(corrected, current, desired)) {
            return;
        }
        try {
            ctx.resourceOperations().serverSideApply(desired);
        } catch (KubernetesClientException e) {
            throw new Refused(desired, e);
        }
    }
}
