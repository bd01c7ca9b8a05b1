package io.fedlink.core.theory;

import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.ChannelStage;

/**
 * What the exact theory needs of a channel: the probability that a transmission arrives and the
 * second moment of the noise it carries when it does. Both exist, and the round stays affine in the
 * state, for channels built of erasure, truncated Rayleigh fading and awgn stages:
 * <ul>
 *   <li>erasure:P passes with probability 1 - P, independently of everything else;</li>
 *   <li>rayleigh:T passes with probability e^{-T} and, given that it passed, scales the noise of the
 *       awgn stages after it by 1 / |h|^2, whose mean is E[1/|h|^2 | |h|^2 >= T] = e^T E1(T)
 *       (E1 the exponential integral): finite for T > 0, infinite without truncation;</li>
 *   <li>awgn adds the link's variance times the product of those factors.</li>
 * </ul>
 * Quantisation is not exact in this sense: its error variance depends on the vector it quantises
 * (its scale and where each element falls between levels), so the noise is not independent of the
 * state and its second moment is not a function of R alone.
 *
 * @param delivery       the probability that a transmission arrives
 * @param varianceFactor the noise variance of an arrived transmission, as a multiple of the link's
 *                       awgn variance
 */
public record ChannelMoments(double delivery, double varianceFactor) {

    /** The paper's channel: always arrives, noise of the link's variance. */
    public static final ChannelMoments AWGN = new ChannelMoments(1.0, 1.0);

    /**
     * The moments of a channel.
     *
     * @throws IllegalArgumentException saying why the theory is not exact for it
     */
    public static ChannelMoments of(ChannelSpec spec) {
        double delivery = 1.0;
        double scale = 1.0;
        double factor = 0.0;
        for (ChannelStage stage : spec.stages()) {
            if (stage instanceof ChannelStage.Erasure e) {
                delivery *= 1.0 - e.probability();
            } else if (stage instanceof ChannelStage.Rayleigh r) {
                if (r.threshold() == 0.0) {
                    throw new IllegalArgumentException("no exact theory for " + spec.describe() + ": Rayleigh fading "
                            + "without truncation (T = 0) has E[1/|h|^2] = infinity, the noise no finite second moment; "
                            + "give a threshold T > 0");
                }
                delivery *= Math.exp(-r.threshold());
                scale *= Math.exp(r.threshold()) * exponentialIntegral(r.threshold());
            } else if (stage instanceof ChannelStage.Awgn) {
                factor += scale;
            } else {
                throw new IllegalArgumentException("no exact theory for " + spec.describe() + ": the error of stochastic "
                        + "quantisation depends on the vector quantised, so it is not independent of the state "
                        + "(simulate it instead)");
            }
        }
        return new ChannelMoments(delivery, factor);
    }

    /**
     * E1(x) = integral from x to infinity of e^{-t} / t dt, x > 0: the power series below 1, the
     * continued fraction (modified Lentz) from 1 on; relative error about 1e-15.
     */
    static double exponentialIntegral(double x) {
        if (!(x > 0.0)) {
            throw new IllegalArgumentException("E1 needs x > 0, got " + x);
        }
        if (x < 1.0) {
            final double eulerGamma = 0.57721566490153286061;
            double sum = 0.0;
            double term = 1.0;
            for (int k = 1; k < 200; k++) {
                term *= -x / k;                                 // (-x)^k / k!
                final double add = term / k;
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return -eulerGamma - Math.log(x) - sum;
        }
        double b = x + 1.0;
        double c = 1.0 / Double.MIN_NORMAL;
        double d = 1.0 / b;
        double h = d;
        for (int i = 1; i < 500; i++) {
            final double a = -(double) i * i;
            b += 2.0;
            d = 1.0 / (a * d + b);
            c = b + a / c;
            final double delta = c * d;
            h *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return h * Math.exp(-x);
    }
}
