package io.fedlink.core.theory;

import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;

/**
 * The links as the exact theory sees them: each client's noise variance for a transmission that
 * arrives, and the probability that one arrives, per direction. Built from the same channel specs,
 * link budget and missing-upload rule a simulation runs with, or refused, with the reason, where
 * the theory is not exact (docs/theory.md, section 8).
 *
 * @param variances the noise of an arrived transmission, per client and direction
 * @param delivery  the probabilities that a poll and an upload arrive
 */
public record TheoryLinks(LinkVariances variances, RerceMeanSquareTheory.Delivery delivery) {

    /**
     * @param seed the experiment's seed (a path-loss budget places the clients from it)
     * @throws IllegalArgumentException saying why there is no exact theory for these links
     */
    public static TheoryLinks of(ChannelSpec uplink, ChannelSpec downlink, LinkBudget budget, MissingUploads missing,
                                 long seed, int clients, double uplinkVariance, double downlinkVariance) {
        final ChannelMoments up = ChannelMoments.of(uplink);
        final ChannelMoments down = ChannelMoments.of(downlink);
        if ((up.delivery() < 1.0 || down.delivery() < 1.0) && missing != MissingUploads.BY_C) {
            throw new IllegalArgumentException("no exact theory for lossy links with --missing " + missing.id()
                    + ": a server that averages what it received divides by a random count, and the round is not "
                    + "affine; the exact theory needs --missing by-C (the paper's eq. 12)");
        }
        final double[][] budgeted = budget.variances(seed, clients, uplinkVariance, downlinkVariance);
        final double[] upVariances = new double[clients];
        final double[] downVariances = new double[clients];
        for (int k = 0; k < clients; k++) {
            upVariances[k] = budgeted[k][0] * up.varianceFactor();
            downVariances[k] = budgeted[k][1] * down.varianceFactor();
        }
        return new TheoryLinks(LinkVariances.perClient(upVariances, downVariances),
                new RerceMeanSquareTheory.Delivery(down.delivery(), up.delivery()));
    }

    /** The paper's links: additive white Gaussian noise of these variances on every client's links. */
    public static TheoryLinks awgn(int clients, double uplinkVariance, double downlinkVariance) {
        return new TheoryLinks(LinkVariances.uniform(clients, uplinkVariance, downlinkVariance),
                RerceMeanSquareTheory.Delivery.ALWAYS);
    }

    /** True when nothing is ever lost (the paper's approximation then applies too). */
    public boolean lossless() {
        return delivery.equals(RerceMeanSquareTheory.Delivery.ALWAYS);
    }
}
