package dev.rollgate.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as kubectl reads and prints them: {@code --timeout} takes Go's syntax ({@code 30s},
 * {@code 10m}, {@code 1h30m}, {@code 1.5h}, {@code 500ms}), and tables show kubectl's short
 * human form ({@code 45s}, {@code 2m5s}, {@code 3h}).
 */
public final class Durations {
    private Durations() {}

    /** One number and its unit, as Go's time.ParseDuration reads it. */
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns",
            1L,
            "us",
            1_000L,
            "µs",
            1_000L,
            "ms",
            1_000_000L,
            "s",
            1_000_000_000L,
            "m",
            60_000_000_000L,
            "h",
            3_600_000_000_000L);

    /**
     * Parses a Go duration: a sequence of numbers with units, e.g. {@code 1h30m} = 90 minutes.
     * A bare {@code 0} is allowed, as in Go; a negative duration or a number without a unit is not.
     */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher part = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            part.region(at, s.length());
            if (!part.lookingAt()) {
                throw invalid(text);
            }
            nanos = nanos.add(
                    new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
            at = part.end();
        }
        if (at == 0) {
            throw invalid(text);
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "invalid duration \"" + text + "\": use a number with a unit, e.g. 30s, 10m, 1h");
    }

    /** The shortest Go-like form: {@code 10m}, {@code 1h30m}, {@code 1.5s}, {@code 0s}. */
    public static String format(Duration d) {
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || d.toMillisPart() > 0) {
            BigDecimal seconds = BigDecimal.valueOf(d.toSecondsPart() * 1000L + d.toMillisPart(), 3)
                    .stripTrailingZeros();
            out.append(seconds.toPlainString()).append('s');
        }
        return out.length() == 0 ? "0s" : out.toString();
    }

    /**
     * kubectl's human duration (apimachinery's {@code duration.HumanDuration}), as in its AGE and
     * DURATION columns: seconds up to 2 minutes, then minutes and seconds up to 10 minutes, minutes
     * up to 3 hours, hours and minutes up to 8 hours, hours up to 2 days, days and hours up to 8 days,
     * then days (kubectl goes on to years after two of them; a rollout history does not).
     */
    public static String human(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            return minutes + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
        } else if (minutes < 180) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            return hours + "h" + (minutes % 60 == 0 ? "" : minutes % 60 + "m");
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            return hours / 24 + "d" + (hours % 24 == 0 ? "" : hours % 24 + "h");
        }
        return hours / 24 + "d";
    }

    /** Reads {@code --timeout} values for picocli. */
    public static final class Converter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
