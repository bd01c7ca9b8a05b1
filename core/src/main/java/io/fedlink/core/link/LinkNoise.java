package io.fedlink.core.link;

import java.util.Arrays;

/**
 * The links of a federation: the channel of every client's uplink (client to server) and downlink
 * (server to client), SPEC section 2, each with its own noise variance.
 */
public final class LinkNoise {

    private final ChannelModel[] uplinks;
    private final ChannelModel[] downlinks;

    private LinkNoise(double[] uplinkVariances, double[] downlinkVariances) {
        this(Arrays.stream(uplinkVariances).mapToObj(AdditiveGaussianChannel::new).toArray(ChannelModel[]::new),
                Arrays.stream(downlinkVariances).mapToObj(AdditiveGaussianChannel::new).toArray(ChannelModel[]::new));
    }

    private LinkNoise(ChannelModel[] uplinks, ChannelModel[] downlinks) {
        if (uplinks.length != downlinks.length) {
            throw new IllegalArgumentException("uplink and downlink channels must cover the same clients");
        }
        this.uplinks = uplinks;
        this.downlinks = downlinks;
    }

    /**
     * Every client's links: each direction's channel spec with client k's variance from the budget.
     *
     * @param variances {uplink, downlink} variance of each client, [K][2]
     */
    public static LinkNoise of(ChannelSpec uplink, ChannelSpec downlink, double[][] variances) {
        final ChannelModel[] up = new ChannelModel[variances.length];
        final ChannelModel[] down = new ChannelModel[variances.length];
        for (int k = 0; k < variances.length; k++) {
            up[k] = uplink.channel(variances[k][0]);
            down[k] = downlink.channel(variances[k][1]);
        }
        return new LinkNoise(up, down);
    }

    /** The same variances on every client's links, as in the paper's experiments. */
    public static LinkNoise uniform(int clients, double uplinkVariance, double downlinkVariance) {
        final double[] up = new double[clients];
        final double[] down = new double[clients];
        Arrays.fill(up, uplinkVariance);
        Arrays.fill(down, downlinkVariance);
        return new LinkNoise(up, down);
    }

    /** Per-client variances; both arrays are copied. */
    public static LinkNoise perClient(double[] uplinkVariances, double[] downlinkVariances) {
        return new LinkNoise(uplinkVariances.clone(), downlinkVariances.clone());
    }

    /** The channel from client k to the server. */
    public ChannelModel uplink(int clientId) {
        return uplinks[clientId];
    }

    /** The channel from the server to client k. */
    public ChannelModel downlink(int clientId) {
        return downlinks[clientId];
    }

    public int clientCount() {
        return uplinks.length;
    }
}
