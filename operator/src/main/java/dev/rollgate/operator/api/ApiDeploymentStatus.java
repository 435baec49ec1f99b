package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's memory. Everything needed to resume a rollout after a restart lives here;
 * nothing is kept between reconciles anywhere else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiDeploymentStatus {

    /** The generation of the spec the status was last computed from. */
    @JsonPropertyDescription("The metadata.generation this status was computed from.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending | WaitingForDependencies | BackingUp | Migrating | Progressing | Available | "
            + "RollingBack | RolledBack | Failed | Restoring | Paused.")
    public Phase phase;

    /**
     * The image every ready pod of both tiers runs, as spec.image named it: the last image a
     * rollout or revert completed on. After a revert the Deployments carry it pinned to
     * lastKnownGood.digest, while this (and the RUNNING column) keeps the name people know.
     */
    @JsonPropertyDescription(
            "The image all ready pods of both tiers run: the last one a rollout or revert completed on, "
                    + "as spec.image named it (the RUNNING column). After a revert the Deployments run it pinned to "
                    + "lastKnownGood.digest (<repository>@<digest>); this field keeps the tag.")
    public String image;

    /**
     * Set only while a rollout or a revert is in flight: the reference both tiers are being moved
     * to, exactly as applied (during a revert, the last known-good image pinned to its digest).
     */
    @JsonPropertyDescription("The reference both tiers are being moved to, exactly as applied to the Deployments; set "
            + "only while a rollout or revert is in flight. During a revert: lastKnownGood.image pinned to "
            + "lastKnownGood.digest (<repository>@<digest>) when the digest is known.")
    public String targetImage;

    /** Set while a rollout waits for the registry to resolve spec.image (imageResolution Registry). */
    @JsonPropertyDescription("Set while a rollout waits for the registry to resolve spec.image (spec.rollout."
            + "imageResolution Registry): which image, how many attempts failed, when the next one is due. The ImageResolved "
            + "condition carries the registry's message.")
    public ImageResolutionStatus imageResolution;

    /** The migration Job of the latest rollout that had one; kept after it finishes. */
    @JsonPropertyDescription("The migration Job of the latest rollout that had one (spec.migration): its name, image, "
            + "result and, when it failed, why.")
    public MigrationStatus migration;

    /** The latest restore asked for with the rollgate.dev/restore annotation. */
    @JsonPropertyDescription("The latest database restore asked for with the rollgate.dev/restore annotation: which "
            + "backup, its Job, where it stands (step ScaleDown, Restore, Revert) and its result.")
    public RestoreStatus restore;

    /** Snapshot taken before a rollout touches a Deployment: where a revert goes back to. */
    @JsonPropertyDescription(
            "The image that last completed, recorded before a rollout touches anything; a revert goes " + "back to it.")
    public LastKnownGood lastKnownGood;

    /** The image whose rollout failed last; it is not rolled again until the spec changes or the retry annotation does. */
    @JsonPropertyDescription(
            "The image whose rollout failed last, and why. It is not rolled again until the spec changes "
                    + "or the rollgate.dev/retry annotation is bumped.")
    public FailedImage failedImage;

    /** When the rollout in flight started (RFC 3339); maxDurationSeconds counts from here. */
    @JsonPropertyDescription("When the rollout in flight started (RFC 3339); spec.rollout.maxDurationSeconds counts "
            + "from here, timeoutSeconds from the last progress (status.progress.at).")
    public String rolloutStartedAt;

    /** The progress of the rollout or revert in flight; the deadline counts from its last rise. */
    @JsonPropertyDescription("The rollout or revert in flight: its progress mark and when it last rose. "
            + "spec.rollout.timeoutSeconds counts from there.")
    public RolloutProgress progress;

    /** When the revert in flight was issued (RFC 3339). */
    @JsonPropertyDescription("When the revert in flight was issued (RFC 3339); like a rollout, it fails when it makes "
            + "no progress for spec.rollout.timeoutSeconds.")
    public String revertStartedAt;

    /** The last value of the rollgate.dev/abort annotation acted on (or found with no rollout to abort). */
    @JsonPropertyDescription("The last value of the rollgate.dev/abort annotation that was handled: a new value aborts "
            + "the rollout in flight, this one does nothing more.")
    public String abortHandled;

    @JsonPropertyDescription("Replica counts of the api Deployment.")
    public TierStatus api;

    @JsonPropertyDescription("Replica counts of the worker Deployment.")
    public TierStatus worker;

    /** "ready/desired" over both tiers, for the READY printer column. */
    @JsonPropertyDescription("Ready pods / desired pods over both tiers, e.g. 3/3.")
    public String ready;

    @JsonPropertyDescription("Ready, Reconciling and Stalled (kstatus: what Helm 4 --wait, Flux and Argo CD read), "
            + "Available, Progressing, Degraded, Synced (whether the last write of the owned objects was accepted), "
            + "DependenciesReady, and ImageResolved / RestoreAvailable when they apply; Kubernetes condition style.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The last 10 rollouts, newest last.")
    public List<HistoryEntry> history = new ArrayList<>();
}
