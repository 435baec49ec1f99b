package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.Phase;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What status records besides the phase: kstatus Ready/Reconciling/Stalled, autoscaling, pods
 * that cannot be created, refused writes (Synced).
 */
class RolloutDeciderStatusTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- kstatus: Ready / Reconciling / Stalled
                new Row(
                        "kstatus: steady and complete is Ready, neither Reconciling nor Stalled",
                        World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .condition(Reasons.READY, "True", Reasons.ROLLED_OUT)
                                .condition(Reasons.RECONCILING, "False", Reasons.ROLLED_OUT)
                                .condition(Reasons.STALLED, "False", Reasons.ROLLED_OUT)),
                new Row(
                        "kstatus: a rollout in flight is Reconciling, not Ready (Available stays the Deployments' meaning)",
                        World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .condition(Reasons.READY, "False", Reasons.ROLLOUT_IN_PROGRESS)
                                .condition(Reasons.RECONCILING, "True", Reasons.ROLLOUT_IN_PROGRESS)
                                .condition(Reasons.STALLED, "False", Reasons.ROLLOUT_IN_PROGRESS)),
                new Row(
                        "kstatus: rolled back is Stalled with the reason, not Ready although the pods are",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.RolledBack)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.ROLLED_BACK)
                                .history(Result.RolledBack)
                                .condition(Reasons.STALLED, "True", Reasons.ROLLED_BACK)
                                .condition(Reasons.READY, "False", Reasons.ROLLED_BACK)
                                .condition(Reasons.RECONCILING, "False", Reasons.ROLLED_BACK)),
                new Row(
                        "kstatus: a failed first install is Stalled",
                        World.spec(V1)
                                .status(Phase.Progressing, null, V1, null)
                                .tiers(V1, RolloutVerdict.InProgress)
                                .podFailure(V1, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Failed)
                                .images(null, null, null)
                                .failed(V1, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)
                                .history(Result.Failed)
                                .condition(Reasons.STALLED, "True", Reasons.ROLLOUT_FAILED)
                                .condition(Reasons.READY, "False", Reasons.ROLLOUT_FAILED)),
                new Row(
                        "kstatus: waiting for a dependency is Reconciling",
                        World.spec(V1).dependency(false),
                        Expect.phase(Phase.WaitingForDependencies)
                                .images(null, null, null)
                                .events(Reasons.WAITING_FOR_DEPENDENCIES)
                                .condition(Reasons.RECONCILING, "True", Reasons.WAITING_FOR_DEPENDENCIES)),

                // ---- autoscaling and pods that cannot be created
                new Row(
                        "autoscaled: availability is judged on the replicas the HPA set, not spec.api.replicas",
                        World.spec(V1)
                                .with(w -> {
                                    w.spec.api.autoscaling = new dev.rollgate.operator.api.Autoscaling();
                                    w.spec.api.autoscaling.minReplicas = 1;
                                    w.spec.api.autoscaling.maxReplicas = 4;
                                })
                                .status(Phase.Available, V1, null, V1)
                                .with(w -> {
                                    w.api = tier(V1, RolloutVerdict.Complete, 1);
                                    w.worker = tier(V1, RolloutVerdict.Complete, 1);
                                }),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .condition(Reasons.AVAILABLE, "True", Reasons.ALL_REPLICAS_AVAILABLE)
                                .condition(Reasons.READY, "True", Reasons.ROLLED_OUT)),
                new Row(
                        "pods of the new image cannot be created (Pod Security Admission): fail fast, revert",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(
                                        w -> w.pods.add(
                                                new PodFailure(
                                                        "of Deployment clinic-api",
                                                        V2,
                                                        Reasons.FAILED_CREATE,
                                                        "pods \"clinic-api-x\" is forbidden: violates PodSecurity \"restricted:latest\": privileged"))),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.FAILED_CREATE)
                                .events(Reasons.ROLLOUT_FAILED)),

                // ---- refused writes: Synced False, Stalled, never Available
                new Row(
                        "a refused write: Synced False with the server's words, Stalled, not Available, retried with backoff",
                        World.spec(V1)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .with(w -> w.applied = ApplyOutcome.refused(QUOTA)),
                        Expect.phase(Phase.Progressing)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.APPLY_FAILED)
                                .requeue(Duration.ofSeconds(5))
                                .condition(Reasons.SYNCED, "False", Reasons.APPLY_FAILED)
                                .condition(Reasons.STALLED, "True", Reasons.APPLY_FAILED)
                                .condition(Reasons.READY, "False", Reasons.APPLY_FAILED)
                                .condition(Reasons.RECONCILING, "False", Reasons.APPLY_FAILED)),
                new Row(
                        "the same refusal again: no second Event, the backoff has doubled",
                        World.spec(V1)
                                .status(Phase.Progressing, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .synced(false, QUOTA, NOW.minusSeconds(40))
                                .with(w -> w.applied = ApplyOutcome.refused(QUOTA)),
                        Expect.phase(Phase.Progressing)
                                .apply(V1)
                                .images(V1, null, V1)
                                .requeue(Duration.ofSeconds(40))
                                .condition(Reasons.SYNCED, "False", Reasons.APPLY_FAILED)),
                new Row(
                        "a refusal remembered in status holds until a write is accepted",
                        World.spec(V1)
                                .status(Phase.Progressing, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .synced(false, QUOTA, NOW.minusSeconds(1000)),
                        Expect.phase(Phase.Progressing)
                                .apply(V1)
                                .images(V1, null, V1)
                                .requeue(Duration.ofMinutes(5))
                                .condition(Reasons.STALLED, "True", Reasons.APPLY_FAILED)),
                new Row(
                        "a rollout completes while a write is refused: Succeeded, but not Available until it is accepted",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .synced(false, QUOTA, NOW.minusSeconds(40)),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V2, null, V2)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)
                                .condition(Reasons.STALLED, "True", Reasons.APPLY_FAILED)),
                new Row(
                        "the write accepted again: Synced True, an Event, Available and Ready",
                        World.spec(V1)
                                .status(Phase.Progressing, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .synced(false, QUOTA, NOW.minusSeconds(40))
                                .with(w -> w.applied = ApplyOutcome.SUCCEEDED),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.APPLIED)
                                .condition(Reasons.SYNCED, "True", Reasons.APPLIED)
                                .condition(Reasons.READY, "True", Reasons.ROLLED_OUT)
                                .condition(Reasons.STALLED, "False", Reasons.ROLLED_OUT)));
    }
}
