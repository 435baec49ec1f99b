package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code history}: status.history as kubectl would print it. */
class HistoryTableTest {

    @Test
    void listsTheHistoryOldestFirstInAlignedColumns() {
        ApiDeploymentState state = ApiDeploymentJson.named("web", "rollgate/clinic:1.2.1")
                .history(
                        "rollgate/clinic:1.1.0",
                        "Succeeded",
                        "2026-01-05T10:00:00Z",
                        "2026-01-05T10:00:41Z",
                        "RolloutSucceeded")
                .history(
                        "rollgate/clinic:1.2.0-crashloop",
                        "RolledBack",
                        "2026-01-05T10:05:00Z",
                        "2026-01-05T10:07:12Z",
                        "CrashLoopBackOff")
                .history("rollgate/clinic:1.2.1", "Succeeded", "2026-01-05T11:00:00Z", "", "")
                .state();

        assertThat(HistoryTable.render(state.history())).isEqualTo("""
        STARTED                FINISHED               DURATION   IMAGE                             RESULT       REASON
        2026-01-05T10:00:00Z   2026-01-05T10:00:41Z   41s        rollgate/clinic:1.1.0             Succeeded    RolloutSucceeded
        2026-01-05T10:05:00Z   2026-01-05T10:07:12Z   2m12s      rollgate/clinic:1.2.0-crashloop   RolledBack   CrashLoopBackOff
        2026-01-05T11:00:00Z   <none>                 <none>     rollgate/clinic:1.2.1             Succeeded    <none>
        """);
    }

    @Test
    void aColumnIsAtLeastSixWideAndTheLastIsNotPadded() {
        assertThat(new Table("A", "B").row("x", "y").render()).isEqualTo("A     B\nx     y\n");
    }
}
