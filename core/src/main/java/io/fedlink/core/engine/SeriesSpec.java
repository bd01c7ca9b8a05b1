package io.fedlink.core.engine;

import io.fedlink.core.algorithm.AlgorithmSettings;
import io.fedlink.core.algorithm.ClientBlock;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.algorithm.ServerSetup;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import java.util.Objects;

/**
 * One learning curve of an experiment: an algorithm, the number C of clients polled per round, the
 * link-noise variances, the channel of each direction (the paper's additive white Gaussian noise
 * unless a spec says otherwise), the link budget that scales the variances per client, and what an
 * averaging server divides by when an upload is missing, and the algorithm's own settings.
 */
public record SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance,
                         ChannelSpec uplinkChannel, ChannelSpec downlinkChannel, LinkBudget linkBudget,
                         MissingUploads missing, AlgorithmSettings settings) {

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

    /** A series with the algorithm's options at their defaults. */
    public SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance,
                      ChannelSpec uplinkChannel, ChannelSpec downlinkChannel, LinkBudget linkBudget,
                      MissingUploads missing) {
        this(algorithm, selected, uplinkVariance, downlinkVariance, uplinkChannel, downlinkChannel, linkBudget, missing,
                AlgorithmSettings.defaults(algorithm));
    }

    public SeriesSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(settings, "settings");
        if (!settings.values().keySet().equals(AlgorithmSettings.defaults(algorithm).values().keySet())) {
            throw new IllegalArgumentException("settings " + settings + " are not those of " + algorithm.id());
        }
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
        return algorithmName(" ") + " C=" + selected + " up=" + format(uplinkVariance) + " down=" + format(downlinkVariance)
                + channelSuffix(" ch=", " upch=", " downch=") + settingSuffix(" ");
    }

    /** The algorithm's id, followed by the options that differ from their defaults ({@code fedprox mu=0.1}). */
    private String algorithmName(String separator) {
        final String changed = settings.describeChanged();
        return changed.isEmpty() ? algorithm.id() : algorithm.id() + separator + changed;
    }

    /** Client k's rule in this series (its constants, the series' settings). */
    public ClientRule newClient(ClientConstants constants) {
        return algorithm.newClient(constants, settings);
    }

    /** Client k in {@code trials} trials of this series at once (see {@link FederatedAlgorithm#newClientBlock}). */
    public ClientBlock newClientBlock(ClientConstants constants, int trials) {
        return algorithm.newClientBlock(constants, settings, trials);
    }

    /** The server's rule in this series, for the federation of {@code problem}, before round 0. */
    public ServerRule newServer(FederatedProblem problem) {
        return algorithm.newServer(new ServerSetup(problem.clientCount(), problem.dimension(), problem.sampleCounts(),
                missing, settings));
    }

    /** The length of a client's upload at model dimension L. */
    public int uploadLength(int dimension) {
        return algorithm.uploadLength(dimension);
    }

    /** The length of the server's broadcast at model dimension L. */
    public int broadcastLength(int dimension) {
        return algorithm.broadcastLength(dimension);
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
        return algorithmName(" ") + ", C=" + selected + ", " + noise + channelSuffix(", ", ", up ", ", down ")
                + settingSuffix(", ");
    }

    /** Shortest exact decimal form of a variance, as typed on a command line (6.25E-4 reads 6.25e-4). */
    public static String format(double value) {
        return Double.toString(value).replace('E', 'e');
    }
}
