package io.fedlink.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The noise a link adds is exactly the ziggurat's: {@link RandomStream#addGaussianNoise} gives the bits of
 * {@link RandomStream#nextGaussian()} drawn one at a time, and {@code nextGaussian} (whose wedge test a
 * quick exponential decides when the margin is wide) gives the bits of the ziggurat written out with
 * StrictMath alone, as numerics version 2 defines it.
 */
class GaussianNoiseTest {

    @Test
    void nextGaussianIsTheStrictMathZigguratBitForBit() {
        // Three million variates: about 45 000 wedge tests and 800 tail samples.
        final RandomStream fast = new RandomStream(2024);
        final StrictZiggurat strict = new StrictZiggurat(new RandomStream(2024));
        for (int i = 0; i < 3_000_000; i++) {
            final double expected = strict.next();
            final double actual = fast.nextGaussian();
            if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
                throw new AssertionError("variate " + i + ": " + actual + ", expected " + expected);
            }
        }
        assertEquals(strict.stream.nextLong(), fast.nextLong(), "the streams' states parted");
    }

    @Test
    void noiseOnAVectorIsElementByElementNoiseBitForBit() {
        final int[] lengths = {16, 17, 23, 64, 128, 129, 256, 300};
        for (int length : lengths) {
            for (boolean inPlace : new boolean[] {false, true}) {
                final RandomStream batched = new RandomStream(length * 31L + (inPlace ? 1 : 0));
                final RandomStream scalar = new RandomStream(length * 31L + (inPlace ? 1 : 0));
                final double[] sent = new double[length];
                for (int i = 0; i < length; i++) {
                    sent[i] = Math.sin(i) * 3;
                }
                for (int round = 0; round < 4000 / length + 200; round++) {
                    final double deviation = round % 3 == 0 ? 0.025 : 0.1;
                    final double[] expected = new double[length];
                    for (int i = 0; i < length; i++) {
                        expected[i] = sent[i] + deviation * scalar.nextGaussian();
                    }
                    final double[] actual = inPlace ? sent.clone() : new double[length];
                    batched.addGaussianNoise(inPlace ? actual : sent, actual, deviation);
                    for (int i = 0; i < length; i++) {
                        assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                                "length " + length + (inPlace ? " in place" : "") + ", round " + round + ", element " + i);
                    }
                }
                assertEquals(scalar.nextLong(), batched.nextLong(), "the streams' states parted at length " + length);
            }
        }
    }

    @Test
    void noiseHasTheLinksVariance() {
        final RandomStream stream = new RandomStream(5);
        final double[] zero = new double[128];
        final double[] received = new double[128];
        double sum = 0;
        double squares = 0;
        final int vectors = 4000;
        for (int v = 0; v < vectors; v++) {
            stream.addGaussianNoise(zero, received, 0.1);
            for (double x : received) {
                sum += x;
                squares += x * x;
            }
        }
        final double count = vectors * 128.0;
        final double mean = sum / count;
        final double variance = squares / count - mean * mean;
        // 512 000 samples: the sample variance of N(0, 0.01) has a standard error of 2e-5
        assertEquals(0.0, mean, 5 * 0.1 / Math.sqrt(count));
        assertEquals(0.01, variance, 1e-4);
        assertTrue(variance > 0);
    }

    /** The ziggurat of numerics version 2 as first written: StrictMath for every exponential. */
    private static final class StrictZiggurat {
        private final RandomStream stream;

        StrictZiggurat(RandomStream stream) {
            this.stream = stream;
        }

        double next() {
            while (true) {
                final long bits = stream.nextLong();
                final int layer = (int) bits & 255;
                final double u = (bits >> 11) * 0x1.0p-52;
                if (Math.abs(u) < RandomStream.ZIGGURAT_RATIO[layer]) {
                    return u * RandomStream.ZIGGURAT_EDGE[layer];
                }
                if (layer == 0) {
                    final double r = 3.6541528853610088;
                    double x;
                    double y;
                    do {
                        x = StrictMath.log(((stream.nextLong() >>> 11) + 1) * 0x1.0p-53) / r;
                        y = StrictMath.log(((stream.nextLong() >>> 11) + 1) * 0x1.0p-53);
                    } while (-2.0 * y < x * x);
                    return u < 0.0 ? x - r : r - x;
                }
                final double x = u * RandomStream.ZIGGURAT_EDGE[layer];
                final double outer = RandomStream.ZIGGURAT_EDGE[layer];
                final double inner = RandomStream.ZIGGURAT_EDGE[layer + 1];
                final double f0 = StrictMath.exp(-0.5 * (outer * outer - x * x));
                final double f1 = StrictMath.exp(-0.5 * (inner * inner - x * x));
                if (f1 + stream.nextDouble() * (f0 - f1) < 1.0) {
                    return x;
                }
            }
        }
    }
}
