package io.fedlink.core.link;

import java.util.Arrays;

/**
 * The link budget of a federation: the noise variance of every client's uplink (client to server)
 * and downlink (server to client), SPEC section 2. Variances may differ per client.
 */
public final class LinkNoise {

    private final ChannelModel[] uplinks;
    private final ChannelModel[] downlinks;

    private LinkNoise(double[] uplinkVariances, double[] downlinkVariances) {
        if (uplinkVariances.length != downlinkVariances.length) {
            throw new IllegalArgumentException("uplink and downlink variances must cover the same clients");
        }
        this.uplinks = Arrays.stream(uplinkVariances).mapToObj(AdditiveGaussianChannel::new).toArray(ChannelModel[]::new);
        this.downlinks = Arrays.stream(downlinkVariances).mapToObj(AdditiveGaussianChannel::new).toArray(ChannelModel[]::new);
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
