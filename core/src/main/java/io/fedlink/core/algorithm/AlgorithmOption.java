package io.fedlink.core.algorithm;

import io.fedlink.core.engine.SeriesSpec;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One setting an algorithm declares: a command-line flag {@code --NAME VALUE} with a default and a
 * validation. The runtime validates every value before any work starts and hands the rules the
 * canonical text ({@link AlgorithmSettings}); a rule reads its values once, when it is made.
 *
 * @param name         the flag without its dashes, e.g. {@code local-steps}
 * @param paramLabel   the value's name in --help, e.g. {@code E}
 * @param defaultValue the value when the flag is not given, canonical
 * @param description  one sentence for --help (the default is added to it)
 * @param parser       checks a value and gives its canonical text
 */
public record AlgorithmOption(String name, String paramLabel, String defaultValue, String description,
                              Parser parser) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Checks a value typed on the command line and gives its canonical text. */
    @FunctionalInterface
    public interface Parser {
        /**
         * @return the value's canonical text (the same value always gives the same text: it names series
         *         and fingerprints runs)
         * @throws IllegalArgumentException with what is expected, e.g. "expected a whole number >= 1"
         */
        String canonical(String value);
    }

    public AlgorithmOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(paramLabel, "paramLabel");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("option name '" + name + "': expected lower-case words joined by '-', "
                    + "e.g. local-steps");
        }
        defaultValue = parser.canonical(Objects.requireNonNull(defaultValue, "defaultValue"));
    }

    /** A whole number in min..max. */
    public static AlgorithmOption integer(String name, String paramLabel, int defaultValue, int min, int max,
                                          String description) {
        final String expected = max == Integer.MAX_VALUE ? "a whole number >= " + min
                : "a whole number in " + min + ".." + max;
        return new AlgorithmOption(name, paramLabel, Integer.toString(defaultValue), description, value -> {
            final int parsed;
            try {
                parsed = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + expected);
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("expected " + expected);
            }
            return Integer.toString(parsed);
        });
    }

    /**
     * A finite real number in an interval; each end open or closed, {@code Double.POSITIVE_INFINITY}
     * for no upper end.
     */
    public static AlgorithmOption real(String name, String paramLabel, double defaultValue, double min,
                                       boolean minIncluded, double max, boolean maxIncluded, String description) {
        final String low = (minIncluded ? ">= " : "> ") + SeriesSpec.format(min);
        final String expected = Double.isInfinite(max) ? "a number " + low
                : "a number " + low + " and " + (maxIncluded ? "<= " : "< ") + SeriesSpec.format(max);
        return new AlgorithmOption(name, paramLabel, SeriesSpec.format(defaultValue), description, value -> {
            final double parsed;
            try {
                parsed = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + expected);
            }
            final boolean aboveMin = minIncluded ? parsed >= min : parsed > min;
            final boolean belowMax = maxIncluded ? parsed <= max : parsed < max;
            if (!Double.isFinite(parsed) || !aboveMin || !belowMax) {
                throw new IllegalArgumentException("expected " + expected);
            }
            return SeriesSpec.format(parsed + 0.0);              // -0.0 is 0.0
        });
    }

    /** One of a few words (compared in lower case). */
    public static AlgorithmOption choice(String name, String defaultValue, List<String> choices, String description) {
        final List<String> allowed = List.copyOf(choices);
        final String expected = "expected " + String.join(" or ", allowed);
        return new AlgorithmOption(name, String.join("|", allowed), defaultValue, description, value -> {
            final String wanted = value.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(wanted)) {
                throw new IllegalArgumentException(expected);
            }
            return wanted;
        });
    }
}
