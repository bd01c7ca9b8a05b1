package io.fedlink.core.engine;

import io.fedlink.core.link.ChannelModel;
import io.fedlink.core.link.Link;
import io.fedlink.core.link.LinkNoise;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;

/**
 * The wiring of one trial, in one home for every engine: which channel each link applies and which
 * random stream each owner draws from, keyed by (seed, trial, purpose, client id) as the determinism
 * contract says. The reference engine, the actors' noisy mailboxes and schedulers, and a cluster's
 * clients nodes all take their links and streams from here, so a new channel or stream is added once.
 *
 * <p>Every call returns a fresh stream at its start: the caller owns it and must keep it for the
 * trial (a link's stream is consumed by its one receiver, in order).
 */
public final class TrialWiring {

    private final long seed;
    private final int trial;
    private final LinkNoise links;

    /**
     * @param links every client's uplink and downlink channel
     */
    public TrialWiring(long seed, int trial, LinkNoise links) {
        this.seed = seed;
        this.trial = trial;
        this.links = links;
    }

    /**
     * The wiring of trial {@code trial} of one series of an experiment: each direction's channel (the
     * series'), with client k's variances from the series' link budget.
     */
    public static TrialWiring of(Experiment experiment, SeriesSpec series, int trial) {
        return new TrialWiring(experiment.seed(), trial, links(experiment, series));
    }

    /** Every client's links in one series: the same in every trial (only their streams differ). */
    public static LinkNoise links(Experiment experiment, SeriesSpec series) {
        if (series.awgnOnly() && series.linkBudget() instanceof io.fedlink.core.link.LinkBudget.Uniform) {
            return LinkNoise.uniform(experiment.clients(), series.uplinkVariance(), series.downlinkVariance());
        }
        return LinkNoise.of(series.uplinkChannel(), series.downlinkChannel(), series.linkBudget()
                .variances(experiment.seed(), experiment.clients(), series.uplinkVariance(), series.downlinkVariance()));
    }

    public int trial() {
        return trial;
    }

    public int clientCount() {
        return links.clientCount();
    }

    /** Client k's uplink (client to server) as the server receives it, with the stream (seed, trial, uplink, k). */
    public Link uplink(int clientId) {
        return new Link(links.uplink(clientId), StreamKeys.stream(seed, trial, StreamPurpose.UPLINK_NOISE, clientId));
    }

    /** Client k's downlink (server to client) as client k receives it. */
    public Link downlink(int clientId) {
        return downlink(seed, trial, clientId, links.downlink(clientId));
    }

    /**
     * Client k's downlink where only that link's channel is known (a cluster's clients node, told the
     * channel by the server): the same stream (seed, trial, downlink, k) as every other engine uses.
     */
    public static Link downlink(long seed, int trial, int clientId, ChannelModel channel) {
        return new Link(channel, StreamKeys.stream(seed, trial, StreamPurpose.DOWNLINK_NOISE, clientId));
    }

    /** The trial's scheduling stream (seed, trial, schedule, 0), consumed by its one scheduler. */
    public RandomStream schedule() {
        return StreamKeys.stream(seed, trial, StreamPurpose.SCHEDULE, 0);
    }

    /** Client k's clock stream in free-running mode (one draw per trial). */
    public RandomStream clientClock(int clientId) {
        return StreamKeys.stream(seed, trial, StreamPurpose.CLIENT_CLOCK, clientId);
    }
}
