package io.fedlink.core.link;

import io.fedlink.core.random.RandomStream;

/**
 * What a link does to a transmitted model vector. Noise is infrastructure, not algorithm: only the
 * transport (the reference engine's links, the actors' noisy mailbox) applies a channel model.
 */
public interface ChannelModel {

    /**
     * Delivers one transmitted vector.
     *
     * @param sent     the clean vector, not modified
     * @param received output of the same length, overwritten with what the receiver gets; may be
     *                 the same array as {@code sent} only if the caller owns it
     * @param rng      this link's own random stream, consumed in a fixed order per element
     */
    void deliver(double[] sent, double[] received, RandomStream rng);

    /** A short description for reports, e.g. {@code awgn(6.25e-4)}. */
    String describe();
}
