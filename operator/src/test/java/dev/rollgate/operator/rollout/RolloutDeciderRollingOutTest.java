package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.OnFailure;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.TierStatus;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Rolling out: the gate on both tiers, and a deadline that measures a lack of progress.
 */
class RolloutDeciderRollingOutTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- gate
                new Row(
                        "gate: in progress, reschedule at exactly the deadline",
                        World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .requeue(Duration.ofSeconds(200))),
                new Row(
                        "gate: only the api is complete, not done",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .with(w -> w.worker = tier(V2, RolloutVerdict.InProgress, 1)),
                        Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
                new Row(
                        "gate: complete on an older template does not count",
                        World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
                new Row(
                        "gate: both tiers complete, rollout succeeds",
                        World.spec(V2).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "fail fast: CrashLoopBackOff of a new pod reverts both tiers",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)
                                .requeue(Duration.ofSeconds(300))),
                new Row(
                        "fail fast: ImagePullBackOff",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.IMAGE_PULL_BACK_OFF),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.IMAGE_PULL_BACK_OFF)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "fail fast: ErrImagePull",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.ERR_IMAGE_PULL),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.ERR_IMAGE_PULL)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "failFast off: a crash-looping pod is left to the deadline",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.failFast = false)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
                new Row(
                        "a crash-looping pod of the old image is not a signal against the new one",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V1, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
                new Row(
                        "ProgressDeadlineExceeded on one tier reverts both",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.now = STARTED.plusSeconds(300))
                                .with(w -> w.worker = new TierObservation(
                                        V2,
                                        RolloutVerdict.DeadlineExceeded,
                                        new TierStatus(),
                                        STARTED.plusSeconds(300))),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.PROGRESS_DEADLINE_EXCEEDED)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "ProgressDeadlineExceeded from before this rollout started is stale",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.worker = new TierObservation(
                                        V2,
                                        RolloutVerdict.DeadlineExceeded,
                                        new TierStatus(),
                                        STARTED.minusSeconds(10))),
                        Expect.phase(Phase.Progressing).apply(V2).images(V1, V2, V1)),
                new Row(
                        "a revert is not failed by the ProgressDeadlineExceeded of the rollout it undoes",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.ROLLOUT_TIMEOUT)
                                .with(w -> w.now = STARTED.plusMillis(40))
                                .with(w -> w.api = new TierObservation(
                                        V1, RolloutVerdict.DeadlineExceeded, new TierStatus(), STARTED))
                                .with(w -> w.worker = tier(V1, RolloutVerdict.InProgress, 1)),
                        Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1)),
                new Row(
                        "the rollout deadline passes (pods never ready): revert",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .with(w -> w.now = STARTED.plusSeconds(300)),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.ROLLOUT_TIMEOUT)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "a dependency goes down mid-rollout: hold, do not judge the crash loop",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP)
                                .dependency(false),
                        Expect.phase(Phase.WaitingForDependencies)
                                .images(V1, V2, V1)
                                .events(Reasons.WAITING_FOR_DEPENDENCIES)),
                new Row(
                        "the dependency is back: resume with a fresh deadline",
                        World.spec(V2)
                                .status(Phase.WaitingForDependencies, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .dependency(true)
                                .with(w -> w.now = STARTED.plusSeconds(1000)),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .events(Reasons.RESUMED)
                                .startedAt(STARTED.plusSeconds(1000))
                                .requeue(Duration.ofSeconds(300))),
                new Row(
                        "onFailure Hold: Failed, both tiers left as they are",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.onFailure = OnFailure.Hold)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)
                                .history(Result.Failed)),

                // ---- the deadline measures a lack of progress, not the time since the start
                new Row(
                        "past timeoutSeconds since the start but still progressing: not failed, the clock moves",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .with(w -> w.now = STARTED.plusSeconds(400))
                                .progress(3, STARTED.plusSeconds(200))
                                .tiers(V2, RolloutVerdict.InProgress)
                                .marks(3, 2),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .progressAt(STARTED.plusSeconds(400))
                                .requeue(Duration.ofSeconds(300))),
                new Row(
                        "no progress for timeoutSeconds since the last progress: failed and reverted",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .with(w -> w.now = STARTED.plusSeconds(360))
                                .progress(5, STARTED.plusSeconds(50))
                                .tiers(V2, RolloutVerdict.InProgress)
                                .marks(3, 2),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.ROLLOUT_TIMEOUT)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "a mark back at its old high after a dip (a pod lost readiness) is not progress",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .with(w -> w.now = STARTED.plusSeconds(310))
                                .progress(5, STARTED)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .marks(4, 1),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.ROLLOUT_TIMEOUT)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "the first mark after the start (the controller observed the template) counts as progress",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .with(w -> w.now = STARTED.plusSeconds(250))
                                .progress(null, STARTED)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .marks(0, 0),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .progressAt(STARTED.plusSeconds(250))),
                new Row(
                        "a stale mark (controller not caught up) is no progress: failed at the deadline",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .with(w -> w.now = STARTED.plusSeconds(300))
                                .progress(null, STARTED)
                                .tiers(V2, RolloutVerdict.InProgress),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.ROLLOUT_TIMEOUT)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "maxDurationSeconds fails a rollout that keeps progressing",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.maxDurationSeconds = 200)
                                .status(Phase.Progressing, V1, V2, V1)
                                .with(w -> w.now = STARTED.plusSeconds(200))
                                .progress(3, STARTED.plusSeconds(150))
                                .tiers(V2, RolloutVerdict.InProgress)
                                .marks(3, 2),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.MAX_DURATION_EXCEEDED)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "maxDurationSeconds comes first: the requeue is at the hard bound",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.maxDurationSeconds = 150)
                                .status(Phase.Progressing, V1, V2, V1)
                                .progress(5, STARTED.plusSeconds(90))
                                .tiers(V2, RolloutVerdict.InProgress)
                                .marks(3, 2),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .requeue(Duration.ofSeconds(50))),
                new Row(
                        "a revert that keeps progressing is not failed either",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .with(w -> w.now = STARTED.plusSeconds(400))
                                .progress(2, STARTED.plusSeconds(300))
                                .tiers(V1, RolloutVerdict.InProgress)
                                .marks(2, 1),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .progressAt(STARTED.plusSeconds(400))));
    }
}
