package io.fedlink.core.engine;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import java.util.Objects;

/**
 * One learning curve of an experiment: an algorithm, the number C of clients polled per round, the
 * link-noise variances, the channel of each direction (the paper's additive white Gaussian noise
 * unless a spec says otherwise), the link budget that scales the variances per client, and what an
 * averaging server divides by when an upload is missing.
 */
public record SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance,
                         ChannelSpec uplinkChannel, ChannelSpec downlinkChannel, LinkBudget linkBudget,
                         MissingUploads missing) {

    /** A series over the paper's channel, additive white Gaussian noise, in both directions. */
    public SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance) {
        this(algorithm, selected, uplinkVariance, downlinkVariance, ChannelSpec.AWGN, ChannelSpec.AWGN);
    }

    /** A series over the given channels, the same variances on every client's links, servers averaging what they received. */
    public SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance,
                      ChannelSpec uplinkChannel, ChannelSpec downlinkChannel) {
        this(algorithm, selected, uplinkVariance, downlinkVariance, uplinkChannel, downlinkChannel,
                new LinkBudget.Uniform(), MissingUploads.RECEIVED);
    }

    public SeriesSpec {
        Objects.requireNonNull(uplinkChannel, "uplinkChannel");
        Objects.requireNonNull(downlinkChannel, "downlinkChannel");
        Objects.requireNonNull(linkBudget, "linkBudget");
        Objects.requireNonNull(missing, "missing");
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
     * than awgn is named after it ({@code ch=erasure:0.1+awgn}, or {@code upch=... downch=...}), as are
     * a link budget other than uniform ({@code budget=pathloss:3.0}) and the by-C rule ({@code missing=by-C}).
     */
    public String label() {
        return algorithm.id() + " C=" + selected + " up=" + format(uplinkVariance) + " down=" + format(downlinkVariance)
                + channelSuffix(" ch=", " upch=", " downch=") + settingSuffix(" ");
    }

    /** True for the paper's setting: awgn both ways, the same variances on every link, the received mean. */
    public boolean paperLinks() {
        return awgnOnly() && linkBudget instanceof LinkBudget.Uniform && missing == MissingUploads.RECEIVED;
    }

    private String settingSuffix(String separator) {
        final StringBuilder b = new StringBuilder();
        if (!(linkBudget instanceof LinkBudget.Uniform)) {
            b.append(separator).append("budget=").append(linkBudget.describe());
        }
        if (missing != MissingUploads.RECEIVED) {
            b.append(separator).append("missing=").append(missing.id());
        }
        return b.toString();
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
        return algorithm.id() + ", C=" + selected + ", " + noise + channelSuffix(", ", ", up ", ", down ")
                + settingSuffix(", ");
    }

    /** Shortest exact decimal form of a variance, as typed on a command line (6.25E-4 reads 6.25e-4). */
    public static String format(double value) {
        return Double.toString(value).replace('E', 'e');
    }
}
