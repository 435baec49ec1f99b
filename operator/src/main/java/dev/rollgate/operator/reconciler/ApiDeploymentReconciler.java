package dev.rollgate.operator.reconciler;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.owned.OwnedObjectsWriter;
import dev.rollgate.operator.rollout.ApplyOutcome;
import dev.rollgate.operator.rollout.Conditions;
import dev.rollgate.operator.rollout.Decision;
import dev.rollgate.operator.rollout.Milestone;
import dev.rollgate.operator.rollout.Observations;
import dev.rollgate.operator.rollout.Reasons;
import dev.rollgate.operator.rollout.RolloutDecider;
import dev.rollgate.operator.rollout.RolloutInput;
import dev.rollgate.operator.runtime.LeanCache;
import dev.rollgate.operator.runtime.RolloutMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The thin reconciler: observe the tiers, their pods and the dependencies from the informer
 * caches ({@link ApiDeploymentObserver}); ask {@link RolloutDecider}; record the status
 * ({@link StatusRecorder}); only then touch the owned objects ({@link OwnedObjectsWriter}); and
 * come back when the decision says to.
 *
 * <p>Generation-aware filtering is off on purpose: bumping the {@code rollgate.dev/retry}
 * annotation changes no generation, yet must wake the reconciler. Our own status writes wake it
 * too; the decider then finds nothing to change and nothing is written.
 */
@ControllerConfiguration(
        name = "apideployment",
        generationAwareEventProcessing = false,
        fieldManager = ApiDeploymentReconciler.FIELD_MANAGER,
        informer = @Informer(namespaces = Constants.WATCH_ALL_NAMESPACES, itemStore = LeanCache.ApiDeployments.class))
public class ApiDeploymentReconciler implements Reconciler<ApiDeployment> {
    private static final Logger LOG = Logger.getLogger(ApiDeploymentReconciler.class);
    public static final String FIELD_MANAGER = "rollgate";

    private final RolloutDecider decider;
    private final StatusRecorder recorder;
    private final OwnedObjectsWriter writer;
    private final RegistryDigests registry;
    private final RolloutMetrics metrics;
    private final Clock clock;

    public ApiDeploymentReconciler(
            RolloutDecider decider,
            StatusRecorder recorder,
            OwnedObjectsWriter writer,
            RegistryDigests registry,
            RolloutMetrics metrics,
            Clock clock) {
        this.decider = decider;
        this.recorder = recorder;
        this.writer = writer;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ApiDeployment>> prepareEventSources(EventSourceContext<ApiDeployment> ctx) {
        return InformerSources.of(ctx);
    }

    @Override
    public UpdateControl<ApiDeployment> reconcile(ApiDeployment cr, Context<ApiDeployment> ctx) {
        Instant observedAt = clock.instant();
        Observations seen = ApiDeploymentObserver.observe(cr, ctx);
        ApiDeployment observed = cr;
        RolloutInput input = new RolloutInput(
                cr.getMetadata().getName(),
                cr.getSpec(),
                cr.getMetadata().getGeneration(),
                annotation(cr, ApiDeployment.RETRY_ANNOTATION),
                annotation(cr, ApiDeployment.RESTORE_ANNOTATION),
                annotation(cr, ApiDeployment.ABORT_ANNOTATION),
                cr.getStatus(),
                seen,
                observedAt,
                image -> registry.resolve(observed, image),
                null);
        Decision d = decider.decide(input);

        // 1. record: the status is the memory, and the snapshot must exist before the change.
        cr = recorder.record(ctx, cr, d);
        if (cr == null) {
            return UpdateControl.noUpdate();
        }
        // 2. act, then say in status (Synced, Stalled) whether the API server took the writes
        ApplyOutcome outcome = writer.write(ctx, cr, d);
        if (outcome != null && !recorded(d.status(), outcome)) {
            if (!outcome.succeeded()) {
                // one line when the refusal is news; the retries that meet the same words stay quiet
                LOG.warnf(
                        "%s/%s: %s",
                        cr.getMetadata().getNamespace(), cr.getMetadata().getName(), outcome.message());
            }
            d = decider.decide(input.after(d.status(), outcome));
            cr = recorder.record(ctx, cr, d);
            if (cr == null) {
                return UpdateControl.noUpdate();
            }
        }
        Condition stalled = Conditions.find(d.status().conditions, Reasons.STALLED);
        metrics.stalled(
                cr.getMetadata().getNamespace(),
                cr.getMetadata().getName(),
                stalled != null && "True".equals(stalled.getStatus()) ? stalled.getReason() : null,
                x -> ctx.getPrimaryCache()
                        .get(new ResourceID(x.name(), x.namespace()))
                        .isPresent());
        for (Milestone m : d.milestones()) {
            metrics.record(m);
            if (m.kind() == Milestone.Kind.REVERT_ISSUED) {
                metrics.failureToRevert(Duration.between(observedAt, clock.instant()));
            }
        }
        UpdateControl<ApiDeployment> control = UpdateControl.noUpdate();
        d.requeueAfter().ifPresent(control::rescheduleAfter);
        metrics.reconciled(Duration.between(observedAt, clock.instant()));
        return control;
    }

    private static String annotation(ApiDeployment cr, String key) {
        return cr.getMetadata().getAnnotations() == null
                ? null
                : cr.getMetadata().getAnnotations().get(key);
    }

    /** Whether status already says what {@code outcome} says (Synced, with the same words). */
    private static boolean recorded(ApiDeploymentStatus status, ApplyOutcome outcome) {
        Condition synced = Conditions.find(status.conditions, Reasons.SYNCED);
        if (synced == null) {
            return false;
        }
        return outcome.succeeded()
                ? "True".equals(synced.getStatus())
                : "False".equals(synced.getStatus()) && outcome.message().equals(synced.getMessage());
    }
}
