package io.fedlink.core.link;

import io.fedlink.core.random.RandomStream;

/**
 * What a link does to a transmitted model vector. Noise is infrastructure, not algorithm: only the
 * transport (the reference engine's links, the actors' noisy mailbox) applies a channel model.
 *
 * <p>A transmission either arrives, perturbed, or is lost; a lost one is something the receiver
 * knows (a failed checksum), never a silence to time out.
 */
public interface ChannelModel {

    /**
     * Delivers one transmitted vector.
     *
     * @param sent     the clean vector, not modified
     * @param received output of the same length, overwritten with what the receiver gets (its
     *                 contents are unspecified when the transmission is lost); may be the same array
     *                 as {@code sent} only if the caller owns it
     * @param rng      this link's own random stream, consumed in a fixed order per element
     * @return true if the transmission arrived; false if it was lost
     */
    boolean deliver(double[] sent, double[] received, RandomStream rng);

    /** A short description for reports, e.g. {@code awgn(6.25e-4)}. */
    String describe();
}
