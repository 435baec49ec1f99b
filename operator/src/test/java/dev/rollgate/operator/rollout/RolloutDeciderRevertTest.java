package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.Phase;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Reverting: back to the last known-good image, pinned to its digest when known.
 */
class RolloutDeciderRevertTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- revert
                new Row(
                        "revert in progress: keep both tiers on lastKnownGood",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.InProgress),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .requeue(Duration.ofSeconds(200))),
                new Row(
                        "revert completes: RolledBack, Warning event, history",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.RolledBack)
                                .apply(V1)
                                .images(V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLED_BACK)
                                .history(Result.RolledBack)),
                new Row(
                        "the revert itself crash-loops: Failed, no loop",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.InProgress)
                                .podFailure(V1, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .events(Reasons.REVERT_FAILED)
                                .history(Result.Failed)),
                new Row(
                        "the revert misses its deadline: Failed",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.InProgress)
                                .with(w -> w.now = STARTED.plusSeconds(301)),
                        Expect.phase(Phase.Failed)
                                .images(V1, null, V1)
                                .events(Reasons.REVERT_FAILED)
                                .history(Result.Failed)),
                new Row(
                        "revert while a dependency is down: keep applying, do not judge",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.InProgress)
                                .podFailure(V1, Reasons.CRASH_LOOP)
                                .dependency(false),
                        Expect.phase(Phase.RollingBack).apply(V1).images(V1, V1, V1)),
                new Row(
                        "a new image interrupts the revert: start it from lastKnownGood",
                        World.spec(V3)
                                .with(w -> w.generation = GEN + 1)
                                .status(Phase.RollingBack, V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing)
                                .apply(V3)
                                .images(V1, V3, V1)
                                .events(Reasons.ROLLOUT_STARTED)
                                .history(Result.Failed)),

                // ---- known-good is a digest: recorded on completion, reverted to, kept
                new Row(
                        "completion records the digest every ready pod of both tiers reports",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .imageIds(REPO + "@" + D2, REPO + "@" + D2, REPO + "@" + D2),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .digest(D2)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "first install completes: the digest behind docker-pullable:// is recorded",
                        World.spec(V1)
                                .status(Phase.Progressing, null, V1, null)
                                .tiers(V1, RolloutVerdict.Complete)
                                .imageIds("docker-pullable://" + REPO + "@" + D1, REPO + "@" + D1, REPO + "@" + D1),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .digest(D1)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "completion with pods disagreeing (the tag moved between pulls) records no digest",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .imageIds(REPO + "@" + D2, REPO + "@" + D1, REPO + "@" + D2),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .digest(null)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "completion with a pod reporting a config id (not pullable) records no digest",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .imageIds(REPO + "@" + D2, REPO + "@" + D2, D2),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .digest(null)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "completion with a pod reporting no imageID (KWOK's kwok://, or none) records no digest",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .imageIds("kwok://" + V2, "kwok://" + V2, ""),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .digest(null)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "completion with another repository's digest records none",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .imageIds(REPO + "@" + D2, REPO + "@" + D2, "docker.io/library/clinic@" + D2),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .digest(null)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "completion of a digest-pinned image records its own digest",
                        World.spec(REPO + "@" + D2)
                                .status(Phase.Progressing, V1, REPO + "@" + D2, V1)
                                .tiers(REPO + "@" + D2, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(REPO + "@" + D2)
                                .images(REPO + "@" + D2, null, REPO + "@" + D2)
                                .digest(D2)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "revert targets the known-good repository pinned to its digest",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .knownGoodDigest(D1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1_PINNED)
                                .images(V1, V1_PINNED, V1)
                                .digest(D1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)
                                .requeue(Duration.ofSeconds(300))),
                new Row(
                        "revert without a known digest targets the tag, as before",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .digest(null)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "the revert to the digest completes: status.image keeps the tag",
                        World.spec(V2)
                                .status(Phase.RollingBack, V1, V1_PINNED, V1)
                                .knownGoodDigest(D1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1_PINNED, RolloutVerdict.Complete),
                        Expect.phase(Phase.RolledBack)
                                .apply(V1_PINNED)
                                .images(V1, null, V1)
                                .digest(D1)
                                .events(Reasons.ROLLED_BACK)
                                .history(Result.RolledBack)),
                new Row(
                        "spec set to the known-good tag during a revert to its digest: the revert goes on",
                        World.spec(V1)
                                .with(w -> w.generation = GEN + 1)
                                .status(Phase.RollingBack, V1, V1_PINNED, V1)
                                .knownGoodDigest(D1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1_PINNED, RolloutVerdict.InProgress),
                        Expect.phase(Phase.RollingBack).apply(V1_PINNED).images(V1, V1_PINNED, V1)),
                new Row(
                        "after a revert to the digest, spec back on that tag keeps the pinned tiers (no restart)",
                        World.spec(V1)
                                .with(w -> w.generation = GEN + 1)
                                .status(Phase.RolledBack, V1, null, V1)
                                .knownGoodDigest(D1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1_PINNED, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V1_PINNED)
                                .images(V1, null, V1)
                                .digest(D1)),
                new Row(
                        "steady on the tag with a known digest stays on the tag (no restart)",
                        World.spec(V1)
                                .status(Phase.Available, V1, null, V1)
                                .knownGoodDigest(D1)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .digest(D1)),
                new Row(
                        "steady with drift and a known digest: put back the known-good bits",
                        World.spec(V1)
                                .status(Phase.Available, V1, null, V1)
                                .knownGoodDigest(D1)
                                .tiers(V3, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing)
                                .apply(V1_PINNED)
                                .images(V1, null, V1)
                                .digest(D1)),
                new Row(
                        "a new rollout keeps the known-good digest in its snapshot",
                        World.spec(V3)
                                .status(Phase.Available, V2, null, V2)
                                .knownGoodDigest(D2)
                                .tiers(V2, RolloutVerdict.Complete),
                        Expect.phase(Phase.Progressing)
                                .apply(V3)
                                .images(V2, V3, V2)
                                .digest(D2)
                                .events(Reasons.ROLLOUT_STARTED)));
    }
}
