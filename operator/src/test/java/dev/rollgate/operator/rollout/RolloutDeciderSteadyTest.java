package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.Phase;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * First install and the steady state: nothing in flight, both tiers kept on status.image.
 */
class RolloutDeciderSteadyTest extends RolloutDeciderTable {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- first install
                new Row(
                        "first sight starts the first install, nothing to snapshot",
                        World.spec(V1).dependency(true),
                        Expect.phase(Phase.Progressing)
                                .apply(V1)
                                .images(null, V1, null)
                                .events(Reasons.ROLLOUT_STARTED)
                                .requeue(Duration.ofSeconds(300))
                                .startedAt(NOW)),
                new Row(
                        "first install waits for a dependency and touches nothing",
                        World.spec(V1).dependency(false),
                        Expect.phase(Phase.WaitingForDependencies)
                                .images(null, null, null)
                                .events(Reasons.WAITING_FOR_DEPENDENCIES)),
                new Row(
                        "first install completes: image and lastKnownGood set",
                        World.spec(V1).status(Phase.Progressing, null, V1, null).tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available)
                                .apply(V1)
                                .images(V1, null, V1)
                                .events(Reasons.ROLLOUT_SUCCEEDED)
                                .history(Result.Succeeded)),
                new Row(
                        "first install crash-loops: nothing to revert to, Failed",
                        World.spec(V1)
                                .status(Phase.Progressing, null, V1, null)
                                .tiers(V1, RolloutVerdict.InProgress)
                                .podFailure(V1, Reasons.CRASH_LOOP),
                        Expect.phase(Phase.Failed)
                                .images(null, null, null)
                                .failed(V1, Reasons.CRASH_LOOP)
                                .events(Reasons.ROLLOUT_FAILED)
                                .history(Result.Failed)),

                // ---- steady
                new Row(
                        "steady and complete: keep applying, no event",
                        World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V1, RolloutVerdict.Complete),
                        Expect.phase(Phase.Available).apply(V1).images(V1, null, V1)),
                new Row(
                        "steady with drift (someone changed a tier): put it back",
                        World.spec(V1).status(Phase.Available, V1, null, V1).tiers(V3, RolloutVerdict.InProgress),
                        Expect.phase(Phase.Progressing).apply(V1).images(V1, null, V1)));
    }
}
