package dev.rollgate.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The live timeline of {@code status --watch}: one line each time what a person cares about
 * changes — phase, ready pods, and the reason and message that explain them — with the wall clock
 * and the seconds since the command started, in the style of the e2e suite's PhaseTimeline and
 * {@code e2e/demo.sh}:
 *
 * <pre>
 * 19:44:04    +0.0s  Available              ready 3/3    waiting for the operator to observe generation 4
 * 19:44:05    +1.2s  Progressing            ready 3/3    RolloutInProgress: rolling both tiers to rollgate/clinic:1.2.0
 * 19:44:09    +5.3s  RollingBack            ready 2/3    CrashLoopBackOff: pod clinic-api-5d8 is in CrashLoopBackOff
 * 19:44:14   +10.1s  RolledBack             ready 3/3    RolledBack: both tiers run rollgate/clinic:1.1.0 again
 * </pre>
 */
public final class Timeline {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /**
     * The conditions that explain a state, most telling first: a Stalled or Reconciling condition
     * says what is wrong or going on; Ready says why the app is (not) ready; Progressing is what an
     * operator without the kstatus conditions sets.
     */
    private static final List<String> EXPLAINING = List.of("Stalled", "Reconciling", "Ready", "Progressing");
    /** Abnormal-true conditions: their False says only that nothing is wrong or going on. */
    private static final List<String> ONLY_WHEN_TRUE = List.of("Stalled", "Reconciling");

    private final Clock clock;
    private final Instant start;
    private String last;

    public Timeline(Clock clock) {
        this.clock = clock;
        this.start = clock.instant();
    }

    /** The line to print for this state, or empty when nothing shown changed since the last one. */
    public Optional<String> observe(ApiDeploymentState state) {
        String what = describe(state);
        if (what.equals(last)) {
            return Optional.empty();
        }
        last = what;
        Instant now = clock.instant();
        return Optional.of(line(LocalTime.ofInstant(now, clock.getZone()), Duration.between(start, now), what));
    }

    static String line(LocalTime at, Duration elapsed, String what) {
        return String.format(Locale.ROOT, "%s %+7.1fs  %s", at.format(CLOCK), elapsed.toMillis() / 1000.0, what);
    }

    /** Phase, ready pods and the explanation, e.g. {@code Progressing  ready 2/3  RolloutInProgress: ...}. */
    static String describe(ApiDeploymentState state) {
        return String.format(
                        "%-22s ready %-5s  %s",
                        OutcomeSentence.orDash(state.phase()), OutcomeSentence.orDash(state.ready()), explain(state))
                .strip();
    }

    /** The reason and message of the condition that explains the state best (see {@link #EXPLAINING}). */
    static String explain(ApiDeploymentState state) {
        if (!state.observed()) {
            return "waiting for the operator to observe generation " + state.generation();
        }
        return EXPLAINING.stream()
                .flatMap(type -> state.condition(type).stream())
                .filter(c -> c.isTrue() || !ONLY_WHEN_TRUE.contains(c.type()))
                .findFirst()
                .map(c -> OutcomeSentence.join(c.reason(), oneLine(c.message())))
                .orElse("");
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ");
    }
}
