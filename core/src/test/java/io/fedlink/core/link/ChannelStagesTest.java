package io.fedlink.core.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.random.RandomStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The channel stages against their definitions: loss rates against P and 1 - e^{-T}, quantisation
 * against its grid and its closed-form error variance, fading's noise against E[1/|h|^2 | |h|^2 >= T]
 * computed here by quadrature; and the composition rules (order, no draw when nothing is drawn).
 */
class ChannelStagesTest {

    @Test
    void specsParseToTheirCanonicalFormAndBackAndPlainAwgnIsThePapersChannel() {
        for (String spec : List.of("awgn", "erasure:0.1+awgn", "quantize:8+awgn", "rayleigh:0.05+awgn",
                "erasure:0.3+quantize:4+awgn", "quantize:1")) {
            assertEquals(spec, ChannelSpec.parse(spec).describe());
            assertEquals(ChannelSpec.parse(spec), ChannelSpec.parse(ChannelSpec.parse(spec).describe()));
        }
        assertEquals("erasure:0.1+awgn", ChannelSpec.parse(" Erasure:0.10 + AWGN ").describe());
        assertInstanceOf(AdditiveGaussianChannel.class, ChannelSpec.parse("awgn").channel(1e-3));
        assertInstanceOf(StagedChannel.class, ChannelSpec.parse("erasure:0+awgn").channel(1e-3));
    }

    @Test
    void badSpecsAreRefusedWithTheGrammar() {
        for (String bad : List.of("", "awgn+", "gauss", "erasure", "erasure:1", "erasure:-0.1", "erasure:x",
                "quantize:0", "quantize:17", "quantize:2.5", "rayleigh:-1", "rayleigh:Infinity", "awgn:3")) {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ChannelSpec.parse(bad), bad);
            assertTrue(refused.getMessage().contains(ChannelSpec.GRAMMAR), refused.getMessage());
        }
    }

    @Test
    void erasureOfProbabilityZeroDrawsNothingSoItEqualsPlainAwgn() {
        final double[] sent = {1, -2, 3, 0.5};
        final RandomStream plain = new RandomStream(77L);
        final RandomStream staged = new RandomStream(77L);
        final double[] a = new double[4];
        final double[] b = new double[4];
        for (int round = 0; round < 50; round++) {
            assertTrue(new AdditiveGaussianChannel(1e-2).deliver(sent, a, plain));
            assertTrue(ChannelSpec.parse("erasure:0+awgn").channel(1e-2).deliver(sent, b, staged));
            assertArrayEquals(a, b, 0.0, "bit for bit, round " + round);
        }
        assertEquals(plain.nextLong(), staged.nextLong(), "both streams at the same place");
    }

    @Test
    void erasureLosesAFractionPOfTransmissions() {
        final ChannelModel channel = ChannelSpec.parse("erasure:0.3+awgn").channel(1e-4);
        final RandomStream rng = new RandomStream(5L);
        final int n = 200_000;
        int lost = 0;
        final double[] received = new double[2];
        for (int i = 0; i < n; i++) {
            if (!channel.deliver(new double[] {1, 2}, received, rng)) {
                lost++;
            }
        }
        // Binomial(n, 0.3): standard deviation sqrt(n 0.3 0.7) ~ 205; allow 5 of them.
        assertEquals(0.3 * n, lost, 5 * Math.sqrt(n * 0.3 * 0.7));
    }

    @Test
    void quantisationIsUnbiasedOnItsGridWithTheClosedFormErrorVariance() {
        final double[] sent = {0.9, -0.35, 0.0, 0.123, -1.2};
        final double scale = 1.2;
        for (int bits : new int[] {1, 4, 8}) {
            final ChannelStage.Quantize stage = new ChannelStage.Quantize(bits);
            final double step = 2 * scale / ((1 << bits) - 1);
            final RandomStream rng = new RandomStream(bits);
            final int n = 100_000;
            final double[] sum = new double[sent.length];
            final double[] squares = new double[sent.length];
            for (int t = 0; t < n; t++) {
                final double[] v = sent.clone();
                assertTrue(stage.apply(v, 0.0, new ChannelStage.Transmission(), rng));
                for (int i = 0; i < v.length; i++) {
                    final double level = (v[i] + scale) / step;
                    assertEquals(Math.rint(level), level, 1e-9, "on the grid: B = " + bits + ", " + v[i]);
                    sum[i] += v[i];
                    squares[i] += (v[i] - sent[i]) * (v[i] - sent[i]);
                }
            }
            for (int i = 0; i < sent.length; i++) {
                // Rounding up with probability f = frac((x + s)/step): error variance step^2 f (1 - f).
                final double position = (sent[i] + scale) / step;
                final double f = position - Math.min((1 << bits) - 2, Math.floor(position));
                final double variance = step * step * f * (1 - f);
                assertEquals(sent[i], sum[i] / n, 5 * Math.sqrt(variance / n) + 1e-9, "unbiased, B = " + bits);
                assertEquals(variance, squares[i] / n, 5 * variance * Math.sqrt(2.0 / n) + 1e-12,
                        "error variance, B = " + bits + ", element " + i);
            }
        }
        assertEquals(8 + 16, new ChannelStage.Quantize(1).wireBytes(128), "128 bits and the 8-byte scale");
        assertEquals(8 + 128, new ChannelStage.Quantize(8).wireBytes(128));
        assertEquals(8 + 2, new ChannelStage.Quantize(3).wireBytes(5), "15 bits take 2 bytes");
    }

    @Test
    void rayleighLosesBelowItsThresholdAndScalesTheNoiseByTheInverseGain() {
        final double threshold = 0.05;
        final double variance = 1e-2;
        final ChannelModel channel = ChannelSpec.parse("rayleigh:0.05+awgn").channel(variance);
        final RandomStream rng = new RandomStream(9L);
        final int n = 400_000;
        int lost = 0;
        double squares = 0;
        final double[] received = new double[1];
        for (int i = 0; i < n; i++) {
            if (channel.deliver(new double[] {0.0}, received, rng)) {
                squares += received[0] * received[0];
            } else {
                lost++;
            }
        }
        final double loss = 1 - Math.exp(-threshold);
        assertEquals(loss * n, lost, 5 * Math.sqrt(n * loss * (1 - loss)));
        assertEquals(loss, new ChannelStage.Rayleigh(threshold).lossProbability(), 1e-15);
        // E[noise^2 | arrived] = variance E[1/g | g >= T] = variance e^T E1(T), E1 by quadrature.
        final double expected = variance * Math.exp(threshold) * exponentialIntegral(threshold);
        final int arrived = n - lost;
        // 1/g is heavy-tailed near T; the sample mean of noise^2 has a relative spread of a few percent.
        assertEquals(expected, squares / arrived, 0.05 * expected);
    }

    /** E1(x) = integral from x to infinity of e^{-t}/t dt, by Simpson's rule in u = ln t. */
    private static double exponentialIntegral(double x) {
        final double a = Math.log(x);
        final double b = Math.log(60.0);
        final int steps = 20_000;
        final double h = (b - a) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            final double t = Math.exp(a + i * h);
            final double f = Math.exp(-t);                 // e^{-t}/t dt = e^{-t} du
            sum += (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3;
    }

    @Test
    void stagesApplyInOrderAndALossEndsTheTransmission() {
        final ChannelModel channel = ChannelSpec.parse("erasure:0.5+quantize:2+awgn").channel(0.0);
        final RandomStream rng = new RandomStream(3L);
        final double[] received = new double[3];
        int arrived = 0;
        for (int i = 0; i < 1000; i++) {
            if (channel.deliver(new double[] {1, 0.2, -1}, received, rng)) {
                arrived++;
                for (double v : received) {
                    final double level = (v + 1) / (2.0 / 3);
                    assertEquals(Math.rint(level), level, 1e-9, "quantised after the erasure, no noise after");
                }
            }
        }
        assertTrue(arrived > 400 && arrived < 600, "about half arrive: " + arrived);
        assertFalse(ChannelSpec.parse("quantize:8+awgn").canLose());
        assertTrue(ChannelSpec.parse("rayleigh:0+awgn").canLose());
        assertEquals(128L * 8, ChannelSpec.AWGN.vectorBytes(128));
        assertEquals(8 + 64, ChannelSpec.parse("quantize:4+awgn").vectorBytes(128));
    }
}
