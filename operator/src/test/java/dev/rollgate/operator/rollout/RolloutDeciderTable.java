package dev.rollgate.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.TierStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared fixture of the decider's tables, one table per group of {@link RolloutState}s: the
 * constants, the {@link Row} type, and the two checks every row of every table runs: the decision
 * it must take, and a fixpoint (run again on its own result, it settles and emits nothing more).
 * Time is fixed: NOW is 100 s after the rollout in flight started (timeout 300 s). Each table
 * extends this class and provides {@code static Stream<Row> rows()}.
 */
abstract class RolloutDeciderTable {

    static final String V1 = "registry.example.com/clinic:1.0.0";
    static final String V2 = "registry.example.com/clinic:2.0.0";
    static final String V3 = "registry.example.com/clinic:3.0.0";
    static final String REPO = "registry.example.com/clinic";
    /** The digests V1 and V2 were pulled as. */
    static final String D1 = "sha256:" + "1".repeat(64);

    static final String D2 = "sha256:" + "2".repeat(64);
    /** What V1's tag names after it was pushed again. */
    static final String D3 = "sha256:" + "3".repeat(64);
    /** V1 pinned to its known-good digest: where a revert goes when the digest is known. */
    static final String V1_PINNED = REPO + "@" + D1;

    static final Instant STARTED = Instant.parse("2026-11-28T12:00:00Z");
    static final Instant NOW = STARTED.plusSeconds(100);
    static final long GEN = 7;
    static final String MIGRATION_JOB = "clinic-migrate-0123456789";
    static final String BACKUP_JOB = "clinic-backup-0123456789";
    static final String RESTORE_JOB = "clinic-restore-0123456789";
    static final String PG = "postgres:15";

    /** A table row: a name, how to build the input, and what the decision must be. */
    record Row(String name, World world, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static TierObservation tier(String image, RolloutVerdict verdict, int replicas) {
        int available = verdict == RolloutVerdict.Complete ? replicas : 0;
        Instant deadline = verdict == RolloutVerdict.DeadlineExceeded ? NOW.minusSeconds(5) : null;
        return new TierObservation(image, verdict, new TierStatus(replicas, replicas, available, available), deadline);
    }

    static final String QUOTA =
            "The API server refused Service clinic-api (HTTP 403 Forbidden): services \"clinic-api\" "
                    + "is forbidden: exceeded quota: no-services, requested: count/services=1, used: count/services=0, "
                    + "limited: count/services=0";

    final RolloutDecider decider = new RolloutDecider();

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(Row row) {
        RolloutInput in = row.world().input();
        Decision d = decider.decide(in);
        Expect e = row.expect();
        ApiDeploymentStatus s = d.status();

        assertThat(s.phase).as("phase").isEqualTo(e.phase);
        assertThat(d.applyImage()).as("image applied to both tiers").isEqualTo(e.apply);
        assertThat(s.image).as("status.image").isEqualTo(e.image);
        assertThat(s.targetImage).as("status.targetImage").isEqualTo(e.target);
        assertThat(s.lastKnownGood == null ? null : s.lastKnownGood.image)
                .as("lastKnownGood")
                .isEqualTo(e.lkg);
        if (e.failed != null) {
            assertThat(s.failedImage).as("failedImage").isNotNull();
            assertThat(s.failedImage.image).isEqualTo(e.failed);
            assertThat(s.failedImage.reason).isEqualTo(e.failedReason);
        }
        assertThat(d.events().stream().map(RolloutEvent::reason).toList())
                .as("events")
                .isEqualTo(e.events);
        if (e.history != null) {
            assertThat(s.history).as("history").isNotEmpty();
            assertThat(s.history.get(s.history.size() - 1).result).isEqualTo(e.history);
        } else {
            int before = in.status() == null ? 0 : in.status().history.size();
            assertThat(s.history).as("history unchanged").hasSize(before);
        }
        if (e.checkDigest) {
            assertThat(s.lastKnownGood.digest).as("lastKnownGood.digest").isEqualTo(e.digest);
            if (e.history == Result.Succeeded) {
                assertThat(s.history.get(s.history.size() - 1).digest)
                        .as("history digest")
                        .isEqualTo(e.digest);
            }
        }
        if (e.requeue != null) {
            assertThat(d.requeueAfter()).as("requeue").contains(e.requeue);
        }
        if (e.rolloutStartedAt != null) {
            assertThat(s.rolloutStartedAt).as("rolloutStartedAt").isEqualTo(e.rolloutStartedAt);
        }
        if (e.progressAt != null) {
            assertThat(s.progress).as("status.progress").isNotNull();
            assertThat(s.progress.at).as("status.progress.at").isEqualTo(e.progressAt);
        }
        assertThat(d.runJob().map(JobRun::image)).as("Job asked for").isEqualTo(Optional.ofNullable(e.jobImage));
        if (e.jobKind != null) {
            assertThat(d.runJob().map(JobRun::kind)).as("kind of Job asked for").contains(e.jobKind);
        }
        assertThat(d.stopTiers()).as("tiers stopped").isEqualTo(e.stop);
        if (e.knownGoodBackup != null) {
            assertThat(s.lastKnownGood.backup.id).as("lastKnownGood.backup").isEqualTo(e.knownGoodBackup);
        }
        if (e.migrationResult != null) {
            assertThat(s.migration.result).as("status.migration.result").isEqualTo(e.migrationResult);
        }
        for (List<String> c : e.conditions) {
            var found = Conditions.find(s.conditions, c.get(0));
            assertThat(found).as("condition " + c.get(0)).isNotNull();
            assertThat(List.of(found.getStatus(), found.getReason()))
                    .as("condition " + c.get(0))
                    .isEqualTo(c.subList(1, 3));
        }
        assertThat(s.observedGeneration).isEqualTo(in.generation());
        // the decider never mutates its input
        if (in.status() != null) {
            assertThat(in.status()).isNotSameAs(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reachesAFixpointWithoutChurnOrRepeatedEvents(Row row) {
        // Level-based: after a transition, looking again at the same world settles within one more
        // step (the transition's wording gives way to the steady wording), then writes nothing new
        // and emits no further event.
        RolloutInput first = row.world().input();
        Decision d1 = decider.decide(first);
        Decision d2 = decider.decide(again(first, d1));
        Decision d3 = decider.decide(again(first, d2));
        assertThat(json(d3.status())).isEqualTo(json(d2.status()));
        assertThat(d3.events()).isEmpty();
        assertThat(d3.applyImage()).isEqualTo(d2.applyImage());
    }

    private static RolloutInput again(RolloutInput first, Decision previous) {
        return new RolloutInput(
                first.name(),
                first.spec(),
                first.generation(),
                first.retryToken(),
                first.restoreRequest(),
                first.abortRequest(),
                previous.status(),
                first.observed(),
                first.now(),
                first.registry(),
                first.applied());
    }

    private static String json(Object o) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
