package io.fedlink.core.algorithm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values of one algorithm's {@link AlgorithmOption options} in a run, validated and canonical,
 * in the order the algorithm declares them. Immutable. A rule reads what it needs once, when it is
 * made (never per round: the values are text).
 */
public final class AlgorithmSettings {

    private static final AlgorithmSettings NONE = new AlgorithmSettings(Map.of(), Map.of());

    private final Map<String, String> values;
    private final Map<String, String> defaults;

    private AlgorithmSettings(Map<String, String> values, Map<String, String> defaults) {
        this.values = values;
        this.defaults = defaults;
    }

    /** No options. */
    public static AlgorithmSettings none() {
        return NONE;
    }

    /** Every option of {@code algorithm} at its default. */
    public static AlgorithmSettings defaults(FederatedAlgorithm algorithm) {
        return of(algorithm, Map.of());
    }

    /**
     * The algorithm's options with the given values (names without dashes), the others at their
     * defaults.
     *
     * @throws IllegalArgumentException naming the option, the value and what is expected, or an
     *                                  option the algorithm does not declare
     */
    public static AlgorithmSettings of(FederatedAlgorithm algorithm, Map<String, String> given) {
        final List<AlgorithmOption> options = algorithm.options();
        if (options.isEmpty() && given.isEmpty()) {
            return NONE;
        }
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, String> defaults = new LinkedHashMap<>();
        for (AlgorithmOption option : options) {
            defaults.put(option.name(), option.defaultValue());
            final String value = given.get(option.name());
            if (value == null) {
                values.put(option.name(), option.defaultValue());
                continue;
            }
            try {
                values.put(option.name(), option.parser().canonical(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + option.name() + " " + value + ": " + algorithm.id() + " "
                        + String.valueOf(e.getMessage()).replaceFirst("^expected ", "expects "), e);
            }
        }
        for (String name : given.keySet()) {
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("--" + name + ": " + algorithm.id() + " has no such option"
                        + (options.isEmpty() ? "" : "; its options are --" + String.join(", --", defaults.keySet())));
            }
        }
        return new AlgorithmSettings(Collections.unmodifiableMap(values), Collections.unmodifiableMap(defaults));
    }

    /** The value of option {@code name} as a whole number. */
    public int integer(String name) {
        return Integer.parseInt(text(name));
    }

    /** The value of option {@code name} as a real number. */
    public double real(String name) {
        return Double.parseDouble(text(name));
    }

    /** The canonical text of option {@code name}. */
    public String text(String name) {
        final String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no option '" + name + "' (the algorithm declares "
                    + values.keySet() + ")");
        }
        return value;
    }

    /** Every value, in declaration order: read-only. */
    public Map<String, String> values() {
        return values;
    }

    /** True when there is no option. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Every value as {@code name=value}, space separated (empty when none), e.g. {@code local-steps=5 mu=0.01}. */
    public String describe() {
        return join(false);
    }

    /** The values that differ from their defaults, as {@link #describe()} writes them. */
    public String describeChanged() {
        return join(true);
    }

    /** The values as command-line flags, e.g. {@code --local-steps 5 --mu 0.01}. */
    public String arguments() {
        final StringBuilder b = new StringBuilder();
        values.forEach((name, value) -> b.append(b.length() == 0 ? "" : " ").append("--").append(name).append(' ')
                .append(value));
        return b.toString();
    }

    private String join(boolean changedOnly) {
        final StringBuilder b = new StringBuilder();
        values.forEach((name, value) -> {
            if (!changedOnly || !value.equals(defaults.get(name))) {
                b.append(b.length() == 0 ? "" : " ").append(name).append('=').append(value);
            }
        });
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlgorithmSettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return values.isEmpty() ? "(no options)" : describe();
    }
}
