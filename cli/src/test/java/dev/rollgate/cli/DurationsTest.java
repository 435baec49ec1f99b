package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** --timeout reads durations as kubectl (Go) does; tables print them as kubectl does. */
class DurationsTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "30s,     PT30S",
        "10m,     PT10M",
        "1h,      PT1H",
        "1h30m,   PT1H30M",
        "1.5h,    PT1H30M",
        "2m3.5s,  PT2M3.5S",
        "500ms,   PT0.5S",
        ".5s,     PT0.5S",
        "0,       PT0S",
        "0s,      PT0S",
        "1000us,  PT0.001S",
    })
    void parsesGoDurations(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "m", "-5s", "1d", "10 m", "1h-5m", "s10"})
    void refusesWhatGoRefuses(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration \"" + text + "\": use a number with a unit, e.g. 30s, 10m, 1h");
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"PT10M, 10m", "PT1H30M, 1h30m", "PT1.5S, 1.5s", "PT0S, 0s", "PT2M, 2m", "PT0.25S, 0.25s"})
    void formatsTheShortestGoLikeForm(Duration d, String expected) {
        assertThat(Durations.format(d)).isEqualTo(expected);
    }

    /** Rows from apimachinery's duration_test.go (HumanDuration). */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "PT1S, 1s", "PT70S, 70s", "PT119S, 119s", "PT2M, 2m", "PT2M1S, 2m1s", "PT9M59S, 9m59s", "PT10M, 10m",
        "PT179M, 179m", "PT3H, 3h", "PT3H1M, 3h1m", "PT7H59M, 7h59m", "PT8H, 8h", "PT47H59M, 47h", "PT48H, 2d",
        "PT49H, 2d1h", "PT191H, 7d23h", "PT192H, 8d", "PT-1S, 0s", "PT-2S, <invalid>"
    })
    void printsKubectlsHumanDuration(Duration d, String expected) {
        assertThat(Durations.human(d)).isEqualTo(expected);
    }
}
