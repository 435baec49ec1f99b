package dev.rollgate.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.image.PullSecrets;
import dev.rollgate.operator.image.RegistryClient;
import dev.rollgate.operator.image.RegistryCredentials.Credential;
import dev.rollgate.operator.image.Resolution;
import dev.rollgate.operator.owned.ApiTierPolicies;
import dev.rollgate.operator.owned.Labels;
import dev.rollgate.operator.owned.OwnedObjects;
import dev.rollgate.operator.owned.SpecHash;
import dev.rollgate.operator.owned.Tier;
import dev.rollgate.operator.rollout.ApplyOutcome;
import dev.rollgate.operator.runtime.EventRecorder;
import dev.rollgate.operator.runtime.LeanCache;
import dev.rollgate.operator.runtime.RolloutMetrics;
import dev.rollgate.operator.rollout.Conditions;
import dev.rollgate.operator.rollout.Decision;
import dev.rollgate.operator.rollout.DeploymentRolloutCheck;
import dev.rollgate.operator.rollout.JobObservation;
import dev.rollgate.operator.rollout.JobRun;
import dev.rollgate.operator.rollout.Milestone;
import dev.rollgate.operator.rollout.Observations;
import dev.rollgate.operator.rollout.ReadyPodImages;
import dev.rollgate.operator.rollout.Reasons;
import dev.rollgate.operator.rollout.RolloutDecider;
import dev.rollgate.operator.rollout.RolloutEvent;
import dev.rollgate.operator.rollout.RolloutInput;
import dev.rollgate.operator.rollout.TierObservation;
import dev.rollgate.operator.rollout.WorldSignals;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The thin reconciler: observe the tiers, their pods and the dependencies from the informer
 * caches; ask {@link RolloutDecider}; record the status; only then touch the Deployments.
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
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final RolloutDecider decider = new RolloutDecider();
  private final RolloutMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private final RegistryClient registry;

  public ApiDeploymentReconciler(KubernetesClient client, RolloutMetrics metrics, Clock clock) {
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.events = new EventRecorder(client, clock, System.getenv().getOrDefault("HOSTNAME", "rollgate"));
    this.registry = new RegistryClient(insecureRegistries(System.getenv(INSECURE_REGISTRIES_ENV)), REGISTRY_TIMEOUT);
  }

  /** Registry hosts (host:port as in image references) asked over plain HTTP; loopback ones always are. */
  static final String INSECURE_REGISTRIES_ENV = "ROLLGATE_INSECURE_REGISTRIES";
  private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(10);

  static Set<String> insecureRegistries(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
  }

  @Override
  public List<EventSource<?, ApiDeployment>> prepareEventSources(EventSourceContext<ApiDeployment> ctx) {
    var deployments = InformerEventSourceConfiguration.from(Deployment.class, ApiDeployment.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(LeanCache.store())
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ApiDeployment.class))
        .build();
    var services = InformerEventSourceConfiguration.from(Service.class, ApiDeployment.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(LeanCache.store())
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ApiDeployment.class))
        .build();
    // Pods are not owned by the ApiDeployment (their owner is a ReplicaSet): map them by label.
    var pods = InformerEventSourceConfiguration.from(Pod.class, ApiDeployment.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(LeanCache.pods())
        .withSecondaryToPrimaryMapper(pod -> {
          String owner = pod.getMetadata().getLabels().get(Labels.INSTANCE);
          return owner == null ? Set.of() : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
        })
        .build();
    var jobs = InformerEventSourceConfiguration.from(Job.class, ApiDeployment.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(LeanCache.store())
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ApiDeployment.class))
        .build();
    // StatefulSets are the user's, unlabelled by us: map both ways through spec.dependencies.
    var statefulSets = InformerEventSourceConfiguration.from(StatefulSet.class, ApiDeployment.class)
        .withItemStore(LeanCache.statefulSets())
        .withSecondaryToPrimaryMapper(sts -> ctx.getPrimaryCache()
            .list(sts.getMetadata().getNamespace())
            .filter(cr -> cr.getSpec() != null
                && cr.getSpec().dependencies.statefulSets.contains(sts.getMetadata().getName()))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((ApiDeployment cr) -> cr.getSpec().dependencies.statefulSets.stream()
            .map(n -> new ResourceID(n, cr.getMetadata().getNamespace()))
            .collect(Collectors.toSet()))
        .build();
    var autoscalers = InformerEventSourceConfiguration.from(HorizontalPodAutoscaler.class, ApiDeployment.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(LeanCache.store())
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ApiDeployment.class))
        .build();
    var budgets = InformerEventSourceConfiguration.from(PodDisruptionBudget.class, ApiDeployment.class)
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(LeanCache.store())
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ApiDeployment.class))
        .build();
    return List.of(new InformerEventSource<>(deployments, ctx), new InformerEventSource<>(services, ctx),
        new InformerEventSource<>(pods, ctx), new InformerEventSource<>(statefulSets, ctx),
        new InformerEventSource<>(jobs, ctx), new InformerEventSource<>(autoscalers, ctx),
        new InformerEventSource<>(budgets, ctx));
  }

  @Override
  public UpdateControl<ApiDeployment> reconcile(ApiDeployment cr, Context<ApiDeployment> ctx) {
    Instant observedAt = clock.instant();
    Observations seen = observe(cr, ctx);
    ApiDeployment observed = cr;
    RolloutInput input = new RolloutInput(cr.getMetadata().getName(), cr.getSpec(), cr.getMetadata().getGeneration(),
        annotation(cr, ApiDeployment.RETRY_ANNOTATION), annotation(cr, ApiDeployment.RESTORE_ANNOTATION),
        annotation(cr, ApiDeployment.ABORT_ANNOTATION), cr.getStatus(), seen, observedAt,
        image -> resolve(observed, image), null);
    Decision d = decider.decide(input);

    // 1. record: the status is the memory, and the snapshot must exist before the change.
    cr = record(ctx, cr, d);
    if (cr == null) {
      return UpdateControl.noUpdate();
    }
    // 2. act, then say in status (Synced, Stalled) whether the API server took the writes
    ApplyOutcome outcome = act(ctx, cr, d);
    if (outcome != null && !recorded(d.status(), outcome)) {
      if (!outcome.succeeded()) {
        // one line when the refusal is news; the retries that meet the same words stay quiet
        LOG.warnf("%s/%s: %s", cr.getMetadata().getNamespace(), cr.getMetadata().getName(), outcome.message());
      }
      d = decider.decide(input.after(d.status(), outcome));
      cr = record(ctx, cr, d);
      if (cr == null) {
        return UpdateControl.noUpdate();
      }
    }
    Condition stalled = Conditions.find(d.status().conditions, Reasons.STALLED);
    metrics.stalled(cr.getMetadata().getNamespace(), cr.getMetadata().getName(),
        stalled != null && "True".equals(stalled.getStatus()) ? stalled.getReason() : null,
        x -> ctx.getPrimaryCache().get(new ResourceID(x.name(), x.namespace())).isPresent());
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
    return cr.getMetadata().getAnnotations() == null ? null : cr.getMetadata().getAnnotations().get(key);
  }

  /**
   * Writes the decided status when it differs from the recorded one, then the decision's Events.
   * Returns the ApiDeployment as written, or null when there is nothing to go on with: it is gone
   * (404: deleted, or its namespace is), or someone wrote it first (409: their write wakes the
   * reconciler again with the fresh object). Neither is an error worth more than a debug line.
   */
  private ApiDeployment record(Context<ApiDeployment> ctx, ApiDeployment cr, Decision d) {
    if (!sameJson(cr.getStatus(), d.status())) {
      ApiDeployment patch = new ApiDeployment();
      patch.setMetadata(cr.getMetadata());
      patch.setSpec(cr.getSpec());
      patch.setStatus(d.status());
      try {
        // resourceVersion is set: a concurrent writer makes this fail
        cr = ctx.resourceOperations().updatePrimaryStatus(patch);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404 || e.getCode() == 409) {
          LOG.debugf("%s/%s: status not written (%d), looking again on the next event",
              cr.getMetadata().getNamespace(), cr.getMetadata().getName(), e.getCode());
          return null;
        }
        throw e;
      }
    }
    for (RolloutEvent e : d.events()) {
      events.record(cr, e);
    }
    if (!d.events().isEmpty()) {
      LOG.infof("%s/%s: %s, phase %s, image %s, target %s", cr.getMetadata().getNamespace(),
          cr.getMetadata().getName(), d.reason(), d.status().phase, d.status().image, d.status().targetImage);
    }
    return cr;
  }

  /**
   * Writes what the decision asks for: the Job, then both Deployments and the Service. Stops at
   * the first write the API server refuses and returns its words (no stack trace);
   * null when the decision asked for no write, or the namespace is being deleted (nothing can be
   * created there any more, and nothing needs to be).
   */
  private ApplyOutcome act(Context<ApiDeployment> ctx, ApiDeployment cr, Decision d) {
    if (d.runJob().isEmpty() && d.applyImage().isEmpty()) {
      return null;
    }
    try {
      if (d.runJob().isPresent()) {
        runJob(ctx, cr, d.runJob().get());
      }
      if (d.applyImage().isPresent()) {
        String image = d.applyImage().get();
        apply(ctx, autoscaled(ctx, cr, OwnedObjects.deployment(cr, Tier.API, image, d.stopTiers())), Deployment.class,
            ApiDeploymentReconciler::sameDeployment);
        apply(ctx, OwnedObjects.deployment(cr, Tier.WORKER, image, d.stopTiers()), Deployment.class,
            ApiDeploymentReconciler::sameDeployment);
        apply(ctx, OwnedObjects.service(cr), Service.class, ApiDeploymentReconciler::sameService);
        applyOrDelete(ctx, ApiTierPolicies.autoscaler(cr), HorizontalPodAutoscaler.class, Tier.API.objectName(cr));
        applyOrDelete(ctx, ApiTierPolicies.disruptionBudget(cr), PodDisruptionBudget.class, Tier.API.objectName(cr));
      }
      return ApplyOutcome.SUCCEEDED;
    } catch (Refused r) {
      if (namespaceTerminating(r.refusal)) {
        LOG.debugf("%s/%s: namespace is being deleted, %s not written", cr.getMetadata().getNamespace(),
            cr.getMetadata().getName(), r.object);
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
      return desired;   // (a new Deployment starts at the API server's default, and the HPA takes it from there)
    }
    Integer replicas = live.getSpec().getReplicas();
    if (replicas != null && replicas == 0) {
      desired.getSpec().setReplicas(autoscaling.minReplicas);
      desired.getMetadata().getAnnotations().put(OwnedObjects.REPLICAS_ANNOTATION, OwnedObjects.REPLICAS_BY_ROLLGATE);
      return desired;
    }
    String by = live.getMetadata().getAnnotations() == null ? null
        : live.getMetadata().getAnnotations().get(OwnedObjects.REPLICAS_ANNOTATION);
    if (!OwnedObjects.REPLICAS_BY_AUTOSCALER.equals(by)) {
      Deployment handover = new DeploymentBuilder()
          .withNewMetadata().withName(live.getMetadata().getName()).withNamespace(live.getMetadata().getNamespace())
          .endMetadata()
          .withNewSpec().withReplicas(replicas).endSpec()
          .build();
      try {
        client.resource(handover).fieldManager(REPLICAS_HANDOVER_MANAGER).serverSideApply();
      } catch (KubernetesClientException e) {
        throw new Refused(desired, e);
      }
    }
    return desired;
  }

  /** The field manager that keeps spec.replicas while Rollgate hands it to the HPA. */
  static final String REPLICAS_HANDOVER_MANAGER = "rollgate-replicas-handover";

  private static <R extends HasMetadata> R cached(Context<ApiDeployment> ctx, Class<R> type, String name) {
    return ctx.getSecondaryResources(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElse(null);
  }

  /** Applies {@code desired} when present; deletes the cached object of that name when not. */
  private <R extends HasMetadata> void applyOrDelete(Context<ApiDeployment> ctx, java.util.Optional<R> desired,
      Class<R> type, String name) {
    if (desired.isPresent()) {
      apply(ctx, desired.get(), type, (live, wanted) -> true);
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

  /** Whether status already says what {@code outcome} says (Synced, with the same words). */
  private static boolean recorded(ApiDeploymentStatus status, ApplyOutcome outcome) {
    Condition synced = Conditions.find(status.conditions, Reasons.SYNCED);
    if (synced == null) {
      return false;
    }
    return outcome.succeeded() ? "True".equals(synced.getStatus())
        : "False".equals(synced.getStatus()) && outcome.message().equals(synced.getMessage());
  }

  private static boolean namespaceTerminating(KubernetesClientException e) {
    var status = e.getStatus();
    return e.getCode() == 403 && status != null && status.getDetails() != null
        && status.getDetails().getCauses() != null
        && status.getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
  }

  /** A write of an owned object the API server (or the client) refused, in words naming the object. */
  private static final class Refused extends RuntimeException {
    final String object;
    final transient KubernetesClientException refusal;

    Refused(HasMetadata object, KubernetesClientException refusal) {
      super(describe(object, refusal), null, false, false);
      this.object = object.getKind() + " " + object.getMetadata().getName();
      this.refusal = refusal;
    }

    private static String describe(HasMetadata object, KubernetesClientException e) {
      var status = e.getStatus();
      String words = status != null && status.getMessage() != null && !status.getMessage().isBlank()
          ? status.getMessage() : e.getMessage();
      String code = e.getCode() > 0 ? " (HTTP " + e.getCode()
          + (status != null && status.getReason() != null ? " " + status.getReason() : "") + ")" : "";
      return "The API server refused " + object.getKind() + " " + object.getMetadata().getName() + code + ": "
          + words;
    }
  }

  /**
   * Asks the image's registry for its digest with the credentials of spec.imagePullSecrets,
   * read by name when asked (never listed or watched: the chart grants at most {@code get}). A
   * Secret that cannot be read is not fatal by itself, as it is not for the kubelet: the
   * registry may not need it; when the registry then refuses, the Secret is the news.
   */
  private Resolution resolve(ApiDeployment cr, String image) {
    String ns = cr.getMetadata().getNamespace();
    List<Credential> credentials = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (var ref : cr.getSpec().imagePullSecrets) {
      String name = ref.getName();
      try {
        Secret secret = client.secrets().inNamespace(ns).withName(name).get();
        if (secret == null) {
          unreadable.add("Secret " + ns + "/" + name + " does not exist");
          continue;
        }
        credentials.addAll(PullSecrets.credentials(secret));
      } catch (KubernetesClientException e) {
        unreadable.add(e.getCode() == 403
            ? "the operator may not read Secret " + ns + "/" + name + " (forbidden): install the chart with "
                + "imageResolution.pullSecrets.enabled=true to let it read pull secrets"
            : "reading Secret " + ns + "/" + name + " failed: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        unreadable.add("Secret " + ns + "/" + name + " is not a docker config: " + e.getMessage());
      }
    }
    Resolution answer = registry.resolve(image, credentials);
    if (answer instanceof Resolution.Unresolved u && !unreadable.isEmpty()
        && Resolution.REGISTRY_UNAUTHORIZED.equals(u.reason())) {
      return new Resolution.Unresolved(Resolution.PULL_SECRET_UNREADABLE,
          String.join("; ", unreadable) + " (the registry said: " + u.message() + ")");
    }
    return answer;
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
        case MIGRATION -> OwnedObjects.migrationJob(cr, run.name(), run.image());
        case BACKUP -> OwnedObjects.backupJob(cr, run.name(), run.backupId(), false);
        case RESTORE -> OwnedObjects.backupJob(cr, run.name(), run.backupId(), true);
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
        .filter(j -> component.equals(j.getMetadata().getLabels().get(Labels.COMPONENT)) && finished(j) != null)
        .sorted(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp()).reversed())
        .skip(JOBS_KEPT)
        .forEach(j -> {
          try {
            client.resource(j).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
          } catch (KubernetesClientException e) {
            LOG.infof("%s/%s: old Job %s not deleted yet: %s", cr.getMetadata().getNamespace(),
                cr.getMetadata().getName(), j.getMetadata().getName(), e.getMessage());
          }
        });
  }


  /** How many finished Jobs of each kind (with their pods and logs) stay for a look after the fact. */
  static final int JOBS_KEPT = 3;

  /** The Job's Complete or Failed condition when it is True, else null. */
  private static JobCondition finished(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
        .findFirst().orElse(null);
  }

  /** Every owned Job, by name, as its controller and its pod report it. */
  static Map<String, JobObservation> jobs(Collection<Job> jobs, Collection<Pod> pods) {
    return jobs.stream().collect(Collectors.toMap(j -> j.getMetadata().getName(), j -> job(j, pods), (a, b) -> a));
  }

  private static JobObservation job(Job job, Collection<Pod> pods) {
    String name = job.getMetadata().getName();
    JobCondition done = finished(job);
    if (done == null) {
      return new JobObservation(name, JobObservation.State.Running, false, null);
    }
    if ("Complete".equals(done.getType())) {
      return new JobObservation(name, JobObservation.State.Succeeded, false, null);
    }
    StringBuilder message = new StringBuilder(done.getReason() == null ? "Failed" : done.getReason());
    if (done.getMessage() != null && !done.getMessage().isBlank()) {
      message.append(" (").append(done.getMessage()).append(')');
    }
    pods.stream()
        .filter(p -> name.equals(p.getMetadata().getLabels().get("batch.kubernetes.io/job-name"))
            || name.equals(p.getMetadata().getLabels().get("job-name")))
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .map(cs -> cs.getState() == null ? null : cs.getState().getTerminated())
        .filter(t -> t != null && t.getExitCode() != null && t.getExitCode() != 0)
        .findFirst()
        .ifPresent(t -> message.append("; exit code ").append(t.getExitCode())
            .append(t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + lastLines(t.getMessage())));
    return new JobObservation(name, JobObservation.State.Failed, "DeadlineExceeded".equals(done.getReason()),
        message.toString());
  }

  /** The end of a termination message (the kubelet keeps at most 4 KiB of it), for a status message. */
  private static String lastLines(String text) {
    String t = text.strip();
    return t.length() <= 1024 ? t : "..." + t.substring(t.length() - 1024);
  }

  private Observations observe(ApiDeployment cr, Context<ApiDeployment> ctx) {
    Map<String, Deployment> deployments = ctx.getSecondaryResources(Deployment.class).stream()
        .collect(Collectors.toMap(dep -> dep.getMetadata().getName(), dep -> dep, (a, b) -> a));
    var pods = ctx.getSecondaryResources(Pod.class);
    Map<String, StatefulSet> sts = ctx.getSecondaryResources(StatefulSet.class).stream()
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s, (a, b) -> a));
    return new Observations(tier(deployments.get(Tier.API.objectName(cr)), Tier.API, pods),
        tier(deployments.get(Tier.WORKER.objectName(cr)), Tier.WORKER, pods),
        failures(pods, deployments.values()),
        cr.getSpec().dependencies.statefulSets.stream().map(n -> WorldSignals.dependency(n, sts.get(n))).toList(),
        jobs(ctx.getSecondaryResources(Job.class), pods),
        (int) pods.stream().filter(p -> {
          String component = p.getMetadata().getLabels().get(Labels.COMPONENT);
          return Tier.API.role.equals(component) || Tier.WORKER.role.equals(component);
        }).count());
  }

  /** Stuck pods of either tier, and Deployments whose pods cannot be created at all. */
  private static List<dev.rollgate.operator.rollout.PodFailure> failures(Collection<Pod> pods,
      Collection<Deployment> deployments) {
    List<dev.rollgate.operator.rollout.PodFailure> all = new ArrayList<>(WorldSignals.podFailures(pods));
    deployments.forEach(d -> DeploymentRolloutCheck.replicaFailure(d).ifPresent(all::add));
    return all;
  }

  /** A tier's Deployment, judged, with what its ready pods report they run. */
  private static TierObservation tier(Deployment d, Tier tier, Collection<Pod> pods) {
    List<Pod> tierPods = pods.stream()
        .filter(p -> tier.role.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
    return DeploymentRolloutCheck.observe(d).withReadyImageIds(ReadyPodImages.of(d, tierPods, OwnedObjects.CONTAINER));
  }

  /**
   * Server-side apply with our field manager. Applying an unchanged object is a no-op on the
   * server but still a request, so it is skipped when the cached object carries the hash of the
   * same desired object and nobody changed, behind our back, the live fields that matter (drift):
   * a Deployment's image and scale, a Service's selector and ports.
   */
  private <R extends HasMetadata> void apply(Context<ApiDeployment> ctx, R desired, Class<R> type,
      BiPredicate<R, R> sameLiveFields) {
    String hash = SpecHash.of(desired);
    desired.getMetadata().getAnnotations().put(SpecHash.ANNOTATION, hash);
    R current = cached(ctx, type, desired.getMetadata().getName());
    if (current != null && current.getMetadata().getAnnotations() != null
        && hash.equals(current.getMetadata().getAnnotations().get(SpecHash.ANNOTATION))
        && sameLiveFields.test(current, desired)) {
      return;
    }
    try {
      ctx.resourceOperations().serverSideApply(desired);
    } catch (KubernetesClientException e) {
      throw new Refused(desired, e);
    }
  }

  private static boolean sameDeployment(Deployment a, Deployment b) {
    // (replicas not applied under autoscaling: whatever the HPA set is right)
    return (b.getSpec().getReplicas() == null || Objects.equals(a.getSpec().getReplicas(), b.getSpec().getReplicas()))
        && Objects.equals(image(a), image(b));
  }

  private static boolean sameService(Service a, Service b) {
    return Objects.equals(a.getSpec().getSelector(), b.getSpec().getSelector())
        && a.getSpec().getPorts().size() == b.getSpec().getPorts().size()
        && Objects.equals(a.getSpec().getPorts().get(0).getPort(), b.getSpec().getPorts().get(0).getPort());
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static boolean sameJson(Object a, Object b) {
    return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
  }
}
