package io.fedlink.core.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedlink.core.random.RandomStream;
import org.junit.jupiter.api.Test;

/** The paper's link model (SPEC section 2, eq. 11), checked statistically with fixed seeds. */
class AdditiveGaussianChannelTest {

    private static final int N = 1_000_000;
    private static final double VARIANCE = 6.25e-4;

    /** A clean vector with structure, so that noise cannot hide in a constant. */
    private static double[] signal() {
        final double[] sent = new double[N];
        for (int i = 0; i < N; i++) {
            sent[i] = Math.sin(0.001 * i);
        }
        return sent;
    }

    private static double[] noise(double[] sent, double[] received) {
        final double[] noise = new double[sent.length];
        for (int i = 0; i < sent.length; i++) {
            noise[i] = received[i] - sent[i];
        }
        return noise;
    }

    @Test
    void noiseHasZeroMeanAndTheConfiguredVariance() {
        final double[] sent = signal();
        final double[] received = new double[N];
        new AdditiveGaussianChannel(VARIANCE).deliver(sent, received, new RandomStream(31L));
        final double[] noise = noise(sent, received);
        double sum = 0.0;
        double sumSquares = 0.0;
        for (double e : noise) {
            sum += e;
            sumSquares += e * e;
        }
        // 5 sigma: the sample mean has sd sqrt(var / n); the mean square has sd var sqrt(2 / n).
        assertEquals(0.0, sum / N, 5 * Math.sqrt(VARIANCE / N));
        assertEquals(VARIANCE, sumSquares / N, 5 * VARIANCE * Math.sqrt(2.0 / N));
    }

    @Test
    void noiseIsIndependentFromElementToElement() {
        // Per-element noise, not one draw added to the whole vector: neighbouring elements are
        // uncorrelated (lag-1 sample correlation within 5 / sqrt(n) of 0).
        final double[] sent = signal();
        final double[] received = new double[N];
        new AdditiveGaussianChannel(VARIANCE).deliver(sent, received, new RandomStream(32L));
        final double[] noise = noise(sent, received);
        double lagged = 0.0;
        for (int i = 1; i < N; i++) {
            lagged += noise[i] * noise[i - 1];
        }
        assertEquals(0.0, lagged / (N - 1) / VARIANCE, 5 / Math.sqrt(N - 1));
    }

    @Test
    void noiseIsRedrawnForEveryTransmission() {
        final double[] sent = signal();
        final double[] first = new double[N];
        final double[] second = new double[N];
        final AdditiveGaussianChannel channel = new AdditiveGaussianChannel(VARIANCE);
        final RandomStream rng = new RandomStream(33L);
        channel.deliver(sent, first, rng);
        channel.deliver(sent, second, rng);
        double cross = 0.0;
        for (int i = 0; i < N; i++) {
            cross += (first[i] - sent[i]) * (second[i] - sent[i]);
        }
        assertEquals(0.0, cross / N / VARIANCE, 5 / Math.sqrt(N));
    }

    @Test
    void deliveryDoesNotModifyTheSentVector() {
        final double[] sent = {1.0, -2.0, 3.5, 0.0};
        final double[] copy = sent.clone();
        new AdditiveGaussianChannel(1e-2).deliver(sent, new double[4], new RandomStream(34L));
        assertArrayEquals(copy, sent);
    }

    @Test
    void noiselessLinkCopiesExactlyWithoutTouchingItsStream() {
        final double[] sent = {1.0, -2.0, 3.5, Math.PI};
        final double[] received = new double[4];
        final RandomStream used = new RandomStream(35L);
        new AdditiveGaussianChannel(0.0).deliver(sent, received, used);
        assertArrayEquals(sent, received);
        // The stream is where it started: its next value is a fresh stream's first.
        assertEquals(new RandomStream(35L).nextLong(), used.nextLong());
    }

    @Test
    void noisyLinkDrawsOneGaussianPerElementFromItsStream() {
        // Fixed consumption is what lets the actor runtime reproduce the reference engine's numbers.
        final double[] sent = {0.5, 0.25, -1.0};
        final double[] received = new double[3];
        new AdditiveGaussianChannel(4.0).deliver(sent, received, new RandomStream(36L));
        final RandomStream expected = new RandomStream(36L);
        for (int i = 0; i < 3; i++) {
            assertEquals(sent[i] + 2.0 * expected.nextGaussian(), received[i], 1e-15);
        }
    }

    @Test
    void negativeOrNonFiniteVarianceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AdditiveGaussianChannel(-1e-3));
        assertThrows(IllegalArgumentException.class, () -> new AdditiveGaussianChannel(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new AdditiveGaussianChannel(Double.POSITIVE_INFINITY));
    }

    @Test
    void linkNoiseKeepsEachClientsOwnVariances() {
        final LinkNoise links = LinkNoise.perClient(new double[] {1e-3, 2e-3}, new double[] {0.0, 5e-3});
        assertEquals(2, links.clientCount());
        assertEquals(1e-3, assertInstanceOf(AdditiveGaussianChannel.class, links.uplink(0)).variance());
        assertEquals(2e-3, assertInstanceOf(AdditiveGaussianChannel.class, links.uplink(1)).variance());
        assertEquals(0.0, assertInstanceOf(AdditiveGaussianChannel.class, links.downlink(0)).variance());
        assertEquals(5e-3, assertInstanceOf(AdditiveGaussianChannel.class, links.downlink(1)).variance());
        assertThrows(IllegalArgumentException.class,
                () -> LinkNoise.perClient(new double[] {1e-3}, new double[] {1e-3, 1e-3}));
    }
}
