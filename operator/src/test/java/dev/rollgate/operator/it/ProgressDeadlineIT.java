package dev.rollgate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.rollout.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deadline means "stuck", not "slow": on the real controllers, with pods that take longer to
 * become ready than usual (the simulated nodes honour a pod's rollgate.dev/kwok-ready-delay), a
 * rollout that keeps making progress outlives its timeoutSeconds and completes; one that was
 * judged failed with nothing to revert to recovers when its pods come up after all.
 */
class ProgressDeadlineIT extends OperatorTestBase {

    @BeforeAll
    static void startOperator() throws Exception {
        startSharedOperator("progress-deadline");
    }

    @AfterAll
    static void stopOperator() {
        stopSharedOperator();
    }

    @Test
    void aRolloutThatKeepsProgressingIsNotFailedAtItsDeadline() {
        try (Scenario s = scenario("slow-progress")) {
            s.create(Scenario.image("1.0.0"), spec -> {
                spec.api.replicas = 4;
                spec.worker.replicas = 1;
                spec.rollout.timeoutSeconds = 60;
                spec.api.pod = slowPods("5s");
                spec.worker.pod = slowPods("5s");
            });
            s.awaitAvailableOn(Scenario.image("1.0.0"), Duration.ofSeconds(90));

            // a rolling update of 4 api pods, one at a time (maxSurge 1, maxUnavailable 0), each ready
            // after 5 s: about 20 s in all, with progress every 5 s, against an 8 s progress deadline
            Instant rolled = Instant.now();
            s.cr().edit(cr -> {
                cr.getSpec().image = Scenario.image("2.0.0");
                cr.getSpec().rollout.timeoutSeconds = 8;
                return cr;
            });
            List<Phase> phases = new ArrayList<>();
            ApiDeploymentStatus st = s.awaitAvailableOnWatching(Scenario.image("2.0.0"), Duration.ofSeconds(90), x -> {
                if (phases.isEmpty() || phases.get(phases.size() - 1) != x.phase) {
                    phases.add(x.phase);
                }
            });
            double took = Duration.between(rolled, Instant.now()).toMillis() / 1000.0;
            System.err.printf(
                    "[progress-deadline] 4 slow api pods rolled in %.1f s with an 8 s progress deadline; phases %s%n",
                    took, phases);
            assertThat(took).as("the rollout outlived its timeoutSeconds").isGreaterThan(8);
            assertThat(phases).doesNotContain(Phase.RollingBack, Phase.RolledBack, Phase.Failed);
            assertThat(st.failedImage).isNull();
            assertThat(st.history).last().satisfies(h -> assertThat(h.reason).isEqualTo(Reasons.ROLLOUT_SUCCEEDED));
        }
    }

    @Test
    void aFirstInstallJudgedFailedRecoversWhenItsPodsComeUpLate() {
        try (Scenario s = scenario("late-success")) {
            // pods ready after 20 s; no progress for 6 s between their creation and their readiness
            s.create(Scenario.image("1.0.0"), spec -> {
                spec.api.replicas = 2;
                spec.worker.replicas = 1;
                spec.rollout.timeoutSeconds = 6;
                spec.api.pod = slowPods("20s");
                spec.worker.pod = slowPods("20s");
            });
            ApiDeploymentStatus failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
            assertThat(failed.failedImage.image).isEqualTo(Scenario.image("1.0.0"));
            assertThat(failed.failedImage.reason).isIn(Reasons.ROLLOUT_TIMEOUT, Reasons.PROGRESS_DEADLINE_EXCEEDED);

            // then the pods come up: the status says so, with an Event and a history note
            ApiDeploymentStatus st = s.awaitAvailableOn(Scenario.image("1.0.0"), Duration.ofSeconds(60));
            assertThat(st.failedImage).isNull();
            assertThat(st.history).last().satisfies(h -> {
                assertThat(h.result.name()).isEqualTo("Succeeded");
                assertThat(h.reason).startsWith(Reasons.ROLLOUT_SUCCEEDED_LATE);
            });
            assertThat(s.awaitEvents(Reasons.ROLLOUT_SUCCEEDED_LATE, Duration.ofSeconds(10)))
                    .isNotEmpty();
            s.assertBothTiersOn(Scenario.image("1.0.0"));
        }
    }
}
