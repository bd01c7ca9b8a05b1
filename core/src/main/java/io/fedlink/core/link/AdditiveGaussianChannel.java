package io.fedlink.core.link;

import io.fedlink.core.random.RandomStream;

/**
 * The paper's link (SPEC section 2, eq. 11): additive, zero-mean, white Gaussian noise of a fixed
 * variance, independent per element, per link and per transmission.
 *
 * <p>A noiseless link (variance 0) copies without drawing from the stream, so the stream of a
 * noiseless link is never touched.
 */
public record AdditiveGaussianChannel(double variance) implements ChannelModel {

    public AdditiveGaussianChannel {
        if (!(variance >= 0.0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("link noise variance must be a finite number >= 0, got " + variance);
        }
    }

    @Override
    public boolean deliver(double[] sent, double[] received, RandomStream rng) {
        add(variance, sent, received, rng);
        return true;
    }

    /**
     * received = sent + N(0, variance I), drawing one Gaussian per element in order; a variance of 0
     * copies without drawing. The one implementation of the paper's noise, shared with the awgn stage
     * of a composed channel, so that plain `awgn` is bit for bit what it always was.
     */
    static void add(double variance, double[] sent, double[] received, RandomStream rng) {
        if (variance == 0.0) {
            if (received != sent) {
                System.arraycopy(sent, 0, received, 0, sent.length);
            }
            return;
        }
        rng.addGaussianNoise(sent, received, Math.sqrt(variance));
    }

    @Override
    public String describe() {
        return "awgn(" + variance + ")";
    }
}
