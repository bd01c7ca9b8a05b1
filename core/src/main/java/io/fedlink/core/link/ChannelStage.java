package io.fedlink.core.link;

import io.fedlink.core.random.RandomStream;

/**
 * One stage of a composed channel ({@link ChannelSpec}), applied in order to the vector in flight.
 * Each stage draws from the link's own stream, in a fixed order, and a stage that has nothing to
 * draw (an erasure of probability 0, a noiseless awgn) draws nothing: `erasure:0+awgn` is `awgn`.
 */
public sealed interface ChannelStage
        permits ChannelStage.Awgn, ChannelStage.Erasure, ChannelStage.Quantize, ChannelStage.Rayleigh {

    /**
     * Applies the stage to {@code vector} in place.
     *
     * @param variance this link's noise variance (from the link budget)
     * @param state    what earlier stages did to this transmission (a fade scales the noise after it)
     * @return false if the stage lost the transmission (the stages after it are not applied)
     */
    boolean apply(double[] vector, double variance, Transmission state, RandomStream rng);

    /** The stage as the grammar writes it, e.g. {@code erasure:0.1}. */
    String describe();

    /** The state of one transmission as it goes through the stages. */
    final class Transmission {
        /** Factor on the awgn variance: 1 / |h|^2 after a Rayleigh fade the receiver inverted. */
        double noiseScale = 1.0;
    }

    /**
     * The paper's link (SPEC section 2): additive white Gaussian noise of the link's variance, times
     * 1 / |h|^2 when a Rayleigh stage came before.
     */
    record Awgn() implements ChannelStage {
        @Override
        public boolean apply(double[] vector, double variance, Transmission state, RandomStream rng) {
            AdditiveGaussianChannel.add(variance * state.noiseScale, vector, vector, rng);
            return true;
        }

        @Override
        public String describe() {
            return "awgn";
        }
    }

    /**
     * Each transmission lost with probability P, independently per link and round: one uniform draw
     * (none when P = 0).
     */
    record Erasure(double probability) implements ChannelStage {
        public Erasure {
            if (!(probability >= 0.0 && probability < 1.0)) {
                throw new IllegalArgumentException("erasure probability P must be in [0, 1), got " + probability);
            }
        }

        @Override
        public boolean apply(double[] vector, double variance, Transmission state, RandomStream rng) {
            return probability == 0.0 || rng.nextDouble() >= probability;
        }

        @Override
        public String describe() {
            return "erasure:" + ChannelSpec.number(probability);
        }
    }

    /**
     * Unbiased stochastic quantisation to B bits per element: the vector's scale s = max |v_i| travels
     * at full precision, each element is rounded to one of the 2^B levels evenly spaced on [-s, s], up
     * with the probability that keeps its mean (one uniform draw per element; none for a zero vector).
     * What it costs on the wire is {@link #wireBytes(int)}.
     */
    record Quantize(int bits) implements ChannelStage {
        public Quantize {
            if (bits < 1 || bits > 16) {
                throw new IllegalArgumentException("quantisation needs B in 1..16 bits per element, got " + bits);
            }
        }

        @Override
        public boolean apply(double[] vector, double variance, Transmission state, RandomStream rng) {
            double scale = 0.0;
            for (double v : vector) {
                scale = Math.max(scale, Math.abs(v));
            }
            if (scale == 0.0) {
                return true;                                        // all zero: exact, nothing drawn
            }
            final int top = (1 << bits) - 1;                        // levels 0..top
            final double step = 2.0 * scale / top;
            for (int i = 0; i < vector.length; i++) {
                final double position = (vector[i] + scale) / step;
                final int level = Math.min(top - 1, (int) Math.floor(position));
                final double up = position - level;                 // P(round up) keeps the mean
                vector[i] = (rng.nextDouble() < up ? level + 1 : level) * step - scale;
            }
            return true;
        }

        /** Bytes of one vector of {@code dimension} elements at B bits each, with its 8-byte scale. */
        public long wireBytes(int dimension) {
            return Double.BYTES + ((long) dimension * bits + 7) / 8;
        }

        @Override
        public String describe() {
            return "quantize:" + bits;
        }
    }

    /**
     * Block Rayleigh fading per transmission: |h|^2 ~ Exp(1) (one uniform draw, |h|^2 = -ln(1 - u));
     * the receiver knows h and inverts it, so the noise of the awgn stages after it has variance
     * sigma^2 / |h|^2; below the truncation threshold, |h|^2 < T, the transmission is lost.
     */
    record Rayleigh(double threshold) implements ChannelStage {
        public Rayleigh {
            if (!(threshold >= 0.0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("Rayleigh truncation threshold T must be a finite number >= 0, got "
                        + threshold);
            }
        }

        @Override
        public boolean apply(double[] vector, double variance, Transmission state, RandomStream rng) {
            final double gain = -StrictMath.log1p(-rng.nextDouble());   // |h|^2 ~ Exp(1), the same on every JVM
            if (gain < threshold || gain == 0.0) {
                return false;
            }
            state.noiseScale /= gain;
            return true;
        }

        /** Probability that a transmission is lost: P(|h|^2 < T) = 1 - e^{-T}. */
        public double lossProbability() {
            return -Math.expm1(-threshold);
        }

        @Override
        public String describe() {
            return "rayleigh:" + ChannelSpec.number(threshold);
        }
    }
}
