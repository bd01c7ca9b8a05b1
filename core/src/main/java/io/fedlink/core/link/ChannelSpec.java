package io.fedlink.core.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A channel as the command line writes it: stages joined by {@code +}, applied in order. The grammar
 * ({@link #GRAMMAR}):
 * <pre>
 *   SPEC  := STAGE ('+' STAGE)*
 *   STAGE := awgn | erasure:P | quantize:B | rayleigh:T      P in [0, 1), B in 1..16, T >= 0
 * </pre>
 * e.g. {@code awgn} (the paper's link, the default), {@code quantize:8+awgn}, {@code rayleigh:0.05+awgn},
 * {@code erasure:0.1+awgn}. The awgn stages take their variance from the link budget.
 */
public record ChannelSpec(List<ChannelStage> stages) {

    /** What {@link #parse} accepts, for error messages. */
    public static final String GRAMMAR = "STAGE[+STAGE...] with STAGE one of awgn, erasure:P (P in [0,1)), "
            + "quantize:B (B in 1..16 bits), rayleigh:T (truncation threshold T >= 0), e.g. quantize:8+awgn";

    /** The paper's channel: additive white Gaussian noise. */
    public static final ChannelSpec AWGN = new ChannelSpec(List.of(new ChannelStage.Awgn()));

    public ChannelSpec {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a channel needs at least one stage: " + GRAMMAR);
        }
    }

    /**
     * Parses a spec.
     *
     * @throws IllegalArgumentException naming the stage that is wrong and giving the grammar
     */
    public static ChannelSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty channel; expected " + GRAMMAR);
        }
        final List<ChannelStage> stages = new ArrayList<>();
        for (String raw : text.trim().split("\\+", -1)) {
            final String stage = raw.trim().toLowerCase(Locale.ROOT);
            final int colon = stage.indexOf(':');
            final String name = colon < 0 ? stage : stage.substring(0, colon);
            final String argument = colon < 0 ? null : stage.substring(colon + 1).trim();
            try {
                stages.add(switch (name) {
                    case "awgn" -> {
                        if (argument != null) {
                            throw new IllegalArgumentException("awgn takes no argument (its variance comes from "
                                    + "--link-noise, --uplink-noise, --downlink-noise and --link-budget)");
                        }
                        yield new ChannelStage.Awgn();
                    }
                    case "erasure" -> new ChannelStage.Erasure(number(argument, "P"));
                    case "quantize" -> new ChannelStage.Quantize(bits(argument));
                    case "rayleigh" -> new ChannelStage.Rayleigh(number(argument, "T"));
                    default -> throw new IllegalArgumentException("unknown stage '" + raw.trim() + "'");
                });
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("channel '" + text.trim() + "': " + e.getMessage() + "; expected "
                        + GRAMMAR, e);
            }
        }
        return new ChannelSpec(stages);
    }

    private static double number(String argument, String what) {
        if (argument == null || argument.isEmpty()) {
            throw new IllegalArgumentException("the stage needs its number " + what);
        }
        try {
            return Double.parseDouble(argument);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + argument + "' is not a number");
        }
    }

    private static int bits(String argument) {
        if (argument == null || !argument.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("quantize needs a whole number of bits B in 1..16, got '"
                    + (argument == null ? "" : argument) + "'");
        }
        return Integer.parseInt(argument);
    }

    /** The spec in its canonical form, e.g. {@code erasure:0.1+awgn}: what output files and labels show. */
    public String describe() {
        final StringBuilder b = new StringBuilder();
        for (ChannelStage stage : stages) {
            if (b.length() > 0) {
                b.append('+');
            }
            b.append(stage.describe());
        }
        return b.toString();
    }

    /** True for the paper's plain additive white Gaussian noise. */
    public boolean isAwgn() {
        return equals(AWGN);
    }

    /** True when a transmission may be lost (an erasure or truncated fading stage that can fire). */
    public boolean canLose() {
        return stages.stream().anyMatch(s -> s instanceof ChannelStage.Erasure e && e.probability() > 0
                || s instanceof ChannelStage.Rayleigh);
    }

    /** The stage of the given type, or null. */
    public <S extends ChannelStage> S stage(Class<S> type) {
        for (ChannelStage s : stages) {
            if (type.isInstance(s)) {
                return type.cast(s);
            }
        }
        return null;
    }

    /** The channel of one link whose awgn variance is {@code variance}: plain awgn is the paper's channel itself. */
    public ChannelModel channel(double variance) {
        return isAwgn() ? new AdditiveGaussianChannel(variance) : new StagedChannel(this, variance);
    }

    /**
     * Bytes one model vector of {@code dimension} elements takes on the wire through this channel:
     * 8 per element as a double, or what a quantisation stage packs it into.
     */
    public long vectorBytes(int dimension) {
        final ChannelStage.Quantize quantize = stage(ChannelStage.Quantize.class);
        return quantize != null ? quantize.wireBytes(dimension) : (long) dimension * Double.BYTES;
    }

    /** A number as typed: the shortest decimal that reads back exactly (6.25E-4 reads 6.25e-4). */
    static String number(double value) {
        return Double.toString(value).replace('E', 'e');
    }

    @Override
    public String toString() {
        return describe();
    }
}
