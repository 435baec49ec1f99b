package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.OnFailure;
import dev.rollgate.operator.api.Phase;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Failed and blocked: the failed image is not rolled again by itself, and a late success.
 */
class RolloutDeciderFailureTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- the failed image is not rolled again by itself
                new Row(
                        "after a revert the failed image is not retried",
                        World.spec(V2)
                                .status(Phase.RolledBack, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.RolledBack).images(V1, null, V1).failed(V2, Reasons.CRASH_LOOP)),
                new Row(
                        "a bumped retry annotation retries it",
                        World.spec(V2)
                                .with(w -> w.retryToken = "1")
                                .status(Phase.RolledBack, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .events(Reasons.ROLLOUT_STARTED)),
                new Row(
                        "a spec change (new generation) retries it",
                        World.spec(V2)
                                .with(w -> w.generation = GEN + 1)
                                .status(Phase.RolledBack, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Progressing)
                                .apply(V2)
                                .images(V1, V2, V1)
                                .events(Reasons.ROLLOUT_STARTED)),
                new Row(
                        "a fixed image rolls forward from RolledBack",
                        World.spec(V3)
                                .with(w -> w.generation = GEN + 1)
                                .status(Phase.RolledBack, V1, null, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Progressing)
                                .apply(V3)
                                .images(V1, V3, V1)
                                .failed(V2, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_STARTED)),
                new Row(
                        "a failed first install stays Failed, untouched",
                        World.spec(V1)
                                .status(Phase.Failed, null, null, null)
                                .failed(V1, Reasons.CRASH_LOOP)
                                .tiers(V1, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Failed).images(null, null, null)),

                // ---- late success: judged failed with nothing reverted, complete afterwards
                new Row(
                        "a first install failed at its deadline whose pods came up later: Available",
                        World.spec(V1)
                                .status(Phase.Failed, null, null, null)
                                .failed(V1, Reasons.ROLLOUT_TIMEOUT)
                                .tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.ROLLOUT_SUCCEEDED_LATE)
                                .history(Result.Succeeded)),
                new Row(
                        "onFailure Hold, the held image completes later: Available on it",
                        World.spec(V2)
                                .with(w -> w.spec.rollout.onFailure = OnFailure.Hold)
                                .status(Phase.Failed, V1, null, V1)
                                .failed(V2, Reasons.ROLLOUT_TIMEOUT)
                                .tiers(V2, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V2)
                                .images(V2, null, V2)
                                .events(Reasons.ROLLOUT_SUCCEEDED_LATE)
                                .history(Result.Succeeded)),
                new Row(
                        "a failed first install still incomplete stays Failed and untouched",
                        World.spec(V1)
                                .status(Phase.Failed, null, null, null)
                                .failed(V1, Reasons.ROLLOUT_TIMEOUT)
                                .tiers(V1, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Failed).images(null, null, null)),
                new Row(
                        "a failed first install pinned by the registry completes later: Available",
                        World.spec(V1)
                                .status(Phase.Failed, null, null, null)
                                .failed(V1, Reasons.ROLLOUT_TIMEOUT)
                                .tiers(V1 + "@" + D1, RolloutVerdict.Complete)
                                .registry(Map.of()),
                        Expect.phase(Phase.Available)
                                .apply(V1 + "@" + D1)
                                .images(V1, null, V1)
                                .digest(D1)
                                .events(Reasons.ROLLOUT_SUCCEEDED_LATE)
                                .history(Result.Succeeded)));
    }
}
