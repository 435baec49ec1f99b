package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.OnFailure;
import dev.rollgate.operator.api.Phase;
import java.util.stream.Stream;

/**
 * Paused (spec.rollout.paused) and aborted (rollgate.dev/abort).
 */
class RolloutDeciderPauseAbortTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- paused
                new Row(
                        "paused mid-rollout: touch nothing, remember the target",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.paused = true)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Paused).images(V1, V2, V1).events(Reasons.PAUSED)),
                new Row(
                        "paused before a rollout: the new image waits",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.paused = true)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Paused).images(V1, null, V1).events(Reasons.PAUSED)),
                new Row(
                        "unpaused: the rollout resumes with a fresh deadline",
                        World.spec(V2).status(Phase.Paused, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .events(Reasons.RESUMED)
                                .startedAt(NOW)),
                new Row(
                        "paused during a revert keeps the revert's phase",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.paused = true)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.InProgress),
                        Expect.phase(Phase.RollingBack).images(V1, V1, V1).events(Reasons.PAUSED)),

                // ---- abort (rollgate.dev/abort: a new token stops the rollout in flight)
                new Row(
                        "abort mid-rollout: failed as Aborted, both tiers back to the known-good image",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.abortRequest = "t1"),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.ABORTED)
                                .events(Reasons.ROLLOUT_FAILED)
                                .condition(Reasons.RECONCILING, "True", Reasons.REVERT_IN_PROGRESS)),
                new Row(
                        "abort mid-rollout with onFailure Hold still reverts: the user asked for the known-good image",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.onFailure = OnFailure.Hold)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.abortRequest = "t1"),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.ABORTED)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "abort during the migration: the Job is left, the rollout fails with nothing rolled",
                        World.spec(V2)
                                .migration(Compatibility.Expand)
                                .status(Phase.Migrating, V1, V2, V1)
                                .migrationRecorded(V2, MigrationStatus.Result.Running)
                                .job(JobObservation.State.Running, false)
                                .tiers(V1, RolloutVerdict.Complete)
                                .with(w -> w.abortRequest = "t1"),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.ABORTED)
                                .events(Reasons.ABORTED)
                                .history(Result.Failed)
                                .migration(MigrationStatus.Result.Abandoned)
                                .condition(Reasons.STALLED, "True", Reasons.ABORTED)),
                new Row(
                        "abort with no rollout in flight: recorded, an Event, nothing else",
                        World.spec(V1)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .with(w -> w.abortRequest = "t1"),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.NOTHING_TO_ABORT)),
                new Row(
                        "an abort token already handled does not stop the next rollout",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.abortRequest = "t1")
                                .with(w -> w.status.abortHandled = "t1"),
                        Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
                new Row(
                        "abort while paused waits for the resume",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.paused = true)
                                .status(Phase.Paused, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.abortRequest = "t1"),
                        Expect.phase(Phase.Paused)
                                .images(V1, V2, V1)
                                .events(Reasons.PAUSED)
                                .condition(Reasons.RECONCILING, "False", Reasons.PAUSED)));
    }
}
