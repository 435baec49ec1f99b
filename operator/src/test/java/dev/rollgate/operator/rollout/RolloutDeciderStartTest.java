package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.image.Resolution;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starting a rollout: dependencies, the registry (or none) naming the digest, and a rollout
 * superseded by a new spec.image.
 */
class RolloutDeciderStartTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- start
                new Row(
                        "new image: snapshot lastKnownGood before anything changes",
                        World.spec(V2).status(Phase.Available, V1, null, null).tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .events(Reasons.ROLLOUT_STARTED)
                                .startedAt(NOW)),
                new Row(
                        "new image while a dependency is down: hold, touch nothing",
                        World.spec(V2)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .dependency(false),
                        Expect.phase(Phase.WaitingForDependencies)
                                .images(V1, null, V1)
                                .events(Reasons.WAITING_FOR_DEPENDENCIES)),
                new Row(
                        "held start proceeds once the dependency is ready",
                        World.spec(V2)
                                .status(Phase.WaitingForDependencies, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .dependency(true),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .events(Reasons.ROLLOUT_STARTED)),

                // ---- imageResolution Registry: the registry names the digest before anything rolls
                new Row(
                        "registry: the rollout starts on the digest the registry gives, both tiers pinned to it",
                        World.spec(V2)
                                .status(Phase.Available, V1, null, V1)
                                .knownGoodDigest(D1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .registry(Map.of(V2, new Resolution.Resolved(D2))),
                        Expect.phase(Phase.Progressing)
                                .apply(V2 + "@" + D2)
                                .images(V1, V2 + "@" + D2, V1)
                                .events(Reasons.ROLLOUT_STARTED)),
                new Row(
                        "registry: a spec.image pinned by digest is not asked for",
                        World.spec(REPO + "@" + D2)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .registry(Map.of()),
                        Expect.phase(Phase.Progressing)
                                .apply(REPO + "@" + D2)
                                .images(V1, REPO + "@" + D2, V1)
                                .events(Reasons.ROLLOUT_STARTED)),
                new Row(
                        "registry down: Pending, nothing applied, asked again in 5s",
                        World.spec(V2)
                                .status(Phase.Available, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .registry(Map.of(
                                        V2,
                                        new Resolution.Unresolved(Resolution.REGISTRY_UNAVAILABLE, "cannot connect"))),
                        Expect.phase(Phase.Pending)
                                .images(V1, null, V1)
                                .events(Resolution.REGISTRY_UNAVAILABLE)
                                .requeue(Duration.ofSeconds(5))),
                new Row(
                        "registry still down at the third attempt: the wait doubles to 20s",
                        World.spec(V2)
                                .status(Phase.Pending, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .resolutionPending(2, NOW.minusSeconds(1))
                                .registry(Map.of(
                                        V2,
                                        new Resolution.Unresolved(Resolution.REGISTRY_UNAVAILABLE, "cannot connect"))),
                        Expect.phase(Phase.Pending)
                                .images(V1, null, V1)
                                .events(Resolution.REGISTRY_UNAVAILABLE)
                                .requeue(Duration.ofSeconds(20))),
                new Row(
                        "registry asked again before its backoff is over: not asked, nothing changes",
                        World.spec(V2)
                                .status(Phase.Pending, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .resolutionPending(1, NOW.plusSeconds(3))
                                .registry(Map.of()),
                        Expect.phase(Phase.Pending).images(V1, null, V1).requeue(Duration.ofSeconds(3))),
                new Row(
                        "registry answers after failures: the rollout starts",
                        World.spec(V2)
                                .status(Phase.Pending, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .resolutionPending(3, NOW.minusSeconds(1))
                                .registry(Map.of(V2, new Resolution.Resolved(D2))),
                        Expect.phase(Phase.Progressing)
                                .apply(V2 + "@" + D2)
                                .images(V1, V2 + "@" + D2, V1)
                                .events(Reasons.ROLLOUT_STARTED)),
                new Row(
                        "registry pending, spec set back to the running image: steady, the wait forgotten",
                        World.spec(V1)
                                .status(Phase.Pending, V1, null, V1)
                                .tiers(V1, RolloutVerdict.Complete)
                                .resolutionPending(1, NOW.plusSeconds(3))
                                .registry(Map.of()),
                        Expect.phase(Phase.Available).apply(V1).images(V1, null, V1)),
                new Row(
                        "registry: the rollout to the pinned tag completes; status keeps the tag, known-good the digest",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2 + "@" + D2, V1)
                                .tiers(V2 + "@" + D2, RolloutVerdict.Complete)
                                .registry(Map.of()),
                        Expect.phase(Phase.Available)
                                .apply(V2 + "@" + D2)
                                .images(V2, null, V2)
                                .digest(D2)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "registry: steady on the pinned tag stays pinned (no restart)",
                        World.spec(V2)
                                .status(Phase.Available, V2, null, V2)
                                .knownGoodDigest(D2)
                                .tiers(V2 + "@" + D2, RolloutVerdict.Complete)
                                .registry(Map.of()),
                        Expect.phase(Phase.Available)
                                .apply(V2 + "@" + D2)
                                .images(V2, null, V2)
                                .digest(D2)),
                new Row(
                        "registry: steady with drift puts back the tag pinned to the known-good digest",
                        World.spec(V2)
                                .status(Phase.Available, V2, null, V2)
                                .knownGoodDigest(D2)
                                .tiers(V3, RolloutVerdict.InProgress)
                                .registry(Map.of()),
                        Expect.phase(Phase.Progressing)
                                .apply(V2 + "@" + D2)
                                .images(V2, null, V2)
                                .digest(D2)),
                new Row(
                        "registry: a failed pinned rollout blocks spec.image by name",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2 + "@" + D2, V1)
                                .tiers(V2 + "@" + D2, RolloutVerdict.InProgress)
                                .podFailure(V2 + "@" + D2, Reasons.CRASH_LOOP)
                                .registry(Map.of(V1, new Resolution.Resolved(D1))),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "registry: the revert says when the known-good tag names other bits now",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2 + "@" + D2, V1)
                                .knownGoodDigest(D1)
                                .tiers(V2 + "@" + D2, RolloutVerdict.InProgress)
                                .podFailure(V2 + "@" + D2, Reasons.CRASH_LOOP)
                                .registry(Map.of(V1, new Resolution.Resolved(D3))),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1_PINNED)
                                .images(V1, V1_PINNED, V1)
                                .digest(D1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.KNOWN_GOOD_TAG_MOVED, Reasons.ROLLOUT_FAILED)),
                new Row(
                        "registry: the revert says nothing more when the tag still names the known-good digest",
                        World.spec(V2)
                                .status(Phase.Progressing, V1, V2 + "@" + D2, V1)
                                .knownGoodDigest(D1)
                                .tiers(V2 + "@" + D2, RolloutVerdict.InProgress)
                                .podFailure(V2 + "@" + D2, Reasons.CRASH_LOOP)
                                .registry(Map.of(V1, new Resolution.Resolved(D1))),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1_PINNED)
                                .images(V1, V1_PINNED, V1)
                                .digest(D1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)),
                new Row(
                        "registry: the failed image blocked by name is not asked for again",
                        World.spec(V2)
                                .status(Phase.RolledBack, V1, null, V1)
                                .knownGoodDigest(D1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1_PINNED, RolloutVerdict.Complete)
                                .registry(Map.of()),
                        Expect.phase(Phase.RolledBack).images(V1, null, V1)),

                // ---- imageResolution None: never pinned by Rollgate
                new Row(
                        "none: completion records no digest from the pods",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.imageResolution = ImageResolution.None)
                                .status(Phase.Progressing, V1, V2, V1)
                                .tiers(V2, RolloutVerdict.Complete)
                                .imageIds(REPO + "@" + D2, REPO + "@" + D2, REPO + "@" + D2),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .digest(null)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "none: a revert goes back to the tag even with a digest recorded earlier",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.imageResolution = ImageResolution.None)
                                .status(Phase.Progressing, V1, V2, V1)
                                .knownGoodDigest(D1)
                                .tiers(V2, RolloutVerdict.InProgress)
                                .podFailure(V2, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.RollingBack)
                                .apply(V1)
                                .images(V1, V1, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)),

                // ---- supersede
                new Row(
                        "a new image mid-rollout supersedes it; lastKnownGood unchanged",
                        World.spec(V3).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing)
                                .apply(V3)
                                .images(V1, V3, V1)
                                .events(Reasons.ROLLOUT_SUPERSEDED, Reasons.ROLLOUT_STARTED)
                                .history(Result.Superseded)
                                .startedAt(NOW)),
                new Row(
                        "spec set back to the running image mid-rollout: back to steady",
                        World.spec(V1).status(Phase.Progressing, V1, V2, V1).tiers(V2, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.ROLLOUT_SUPERSEDED)
                                .history(Result.Superseded)));
    }
}
