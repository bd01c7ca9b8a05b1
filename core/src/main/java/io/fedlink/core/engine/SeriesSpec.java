package io.fedlink.core.engine;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.link.ChannelSpec;
import java.util.Objects;

/**
 * One learning curve of an experiment: an algorithm, the number C of clients polled per round, the
 * link-noise variances (scaled per client by the experiment's link budget) and the channel of each
 * direction (the paper's additive white Gaussian noise unless a spec says otherwise).
 */
public record SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance,
                         ChannelSpec uplinkChannel, ChannelSpec downlinkChannel) {

    /** A series over the paper's channel, additive white Gaussian noise, in both directions. */
    public SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance) {
        this(algorithm, selected, uplinkVariance, downlinkVariance, ChannelSpec.AWGN, ChannelSpec.AWGN);
    }

    public SeriesSpec {
        Objects.requireNonNull(uplinkChannel, "uplinkChannel");
        Objects.requireNonNull(downlinkChannel, "downlinkChannel");
        if (selected < 1) {
            throw new IllegalArgumentException("C must be at least 1, got " + selected);
        }
        if (!(uplinkVariance >= 0.0) || !(downlinkVariance >= 0.0)
                || Double.isInfinite(uplinkVariance) || Double.isInfinite(downlinkVariance)) {
            throw new IllegalArgumentException("link noise variances must be finite and >= 0, got uplink "
                    + uplinkVariance + ", downlink " + downlinkVariance);
        }
    }

    /**
     * A stable, human-readable name, e.g. {@code rerce C=4 up=6.25e-4 down=6.25e-4}; a channel other
     * than awgn is named after it ({@code ch=erasure:0.1+awgn}, or {@code upch=... downch=...}).
     */
    public String label() {
        return algorithm.id() + " C=" + selected + " up=" + format(uplinkVariance) + " down=" + format(downlinkVariance)
                + channelSuffix(" ch=", " upch=", " downch=");
    }

    /** True when both directions are the paper's channel. */
    public boolean awgnOnly() {
        return uplinkChannel.isAwgn() && downlinkChannel.isAwgn();
    }

    private String channelSuffix(String both, String up, String down) {
        if (awgnOnly()) {
            return "";
        }
        return uplinkChannel.equals(downlinkChannel) ? both + uplinkChannel.describe()
                : up + uplinkChannel.describe() + down + downlinkChannel.describe();
    }

    /** Shorter legend text for plots: the uplink/downlink pair is shown once when they agree. */
    public String legend() {
        final String noise = uplinkVariance == downlinkVariance
                ? "σ²=" + format(uplinkVariance)
                : "σ²up=" + format(uplinkVariance) + " σ²down=" + format(downlinkVariance);
        return algorithm.id() + ", C=" + selected + ", " + noise + channelSuffix(", ", ", up ", ", down ");
    }

    /** Shortest exact decimal form of a variance, as typed on a command line (6.25E-4 reads 6.25e-4). */
    public static String format(double value) {
        return Double.toString(value).replace('E', 'e');
    }
}
