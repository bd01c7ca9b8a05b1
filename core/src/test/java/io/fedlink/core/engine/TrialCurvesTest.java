package io.fedlink.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.metric.ConfidenceBand;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one home of the trial mean: trial order, linear scale, whatever order the rounds arrive in. */
class TrialCurvesTest {

    private static double[][] randomCurves(int trials, int rounds, long seed) {
        final Random random = new Random(seed);
        final double[][] curves = new double[trials][rounds];
        for (double[] curve : curves) {
            for (int n = 0; n < rounds; n++) {
                curve[n] = Math.exp(-0.1 * n + random.nextGaussian());     // positive, spread over decades
            }
        }
        return curves;
    }

    @Test
    void meanIsSummedInTrialOrderWhateverOrderRoundsArrive() {
        final double[][] curves = randomCurves(7, 30, 1L);
        // The independent computation: the loop both engines ran before this class existed.
        final double[] expected = new double[30];
        for (double[] curve : curves) {
            for (int n = 0; n < 30; n++) {
                expected[n] += curve[n];
            }
        }
        for (int n = 0; n < 30; n++) {
            expected[n] /= curves.length;
        }
        final TrialCurves whole = new TrialCurves(7, 30);
        for (int t = 0; t < 7; t++) {
            whole.record(t, curves[t]);
        }
        final TrialCurves streamed = new TrialCurves(7, 30);
        for (int n = 30; n >= 1; n--) {                   // rounds and trials interleaved, backwards
            for (int t = 6; t >= 0; t--) {
                streamed.record(t, n, curves[t][n - 1]);
            }
        }
        assertArrayEquals(expected, whole.mean(), 0.0, "bit for bit");
        assertArrayEquals(expected, streamed.mean(), 0.0, "bit for bit");
        assertEquals(curves[3][4], whole.nmse(3, 5), 0.0);
    }

    @Test
    void aTrialMissingRoundsIsAnError() {
        final TrialCurves curves = new TrialCurves(2, 3);
        curves.record(0, new double[] {1, 2, 3});
        curves.record(1, 1, 1.0);
        assertThrows(IllegalStateException.class, curves::mean);
    }

    @Test
    void bandContainsTheMeanCurveAndMatchesAStudentTIntervalComputedByHand() {
        final double[][] curves = randomCurves(12, 40, 2L);
        final TrialCurves tc = new TrialCurves(12, 40);
        for (int t = 0; t < 12; t++) {
            tc.record(t, curves[t]);
        }
        final double[] mean = tc.mean();
        final ConfidenceBand band = tc.band();
        final double[] loDb = band.lowerDb();
        final double[] hiDb = band.upperDb();
        final double[] meanDb = io.fedlink.core.metric.Nmse.toDb(mean);
        for (int n = 0; n < 40; n++) {
            assertTrue(band.lower()[n] < mean[n] && mean[n] < band.upper()[n], "round " + (n + 1));
            assertTrue(loDb[n] < meanDb[n] && meanDb[n] < hiDb[n], "in dB too, round " + (n + 1));
            // By hand: two-pass variance, t_{0.975, 11} = 2.200985160 (tables), half width t s / sqrt(12).
            double sum = 0;
            for (double[] c : curves) {
                sum += c[n];
            }
            final double m = sum / 12;
            double ss = 0;
            for (double[] c : curves) {
                ss += (c[n] - m) * (c[n] - m);
            }
            final double half = 2.200985160 * Math.sqrt(ss / 11) / Math.sqrt(12);
            assertEquals(m - half, band.lower()[n], 1e-12 * m);
            assertEquals(m + half, band.upper()[n], 1e-12 * m);
        }
    }

    @Test
    void oneTrialHasNoBandAndIdenticalTrialsAZeroWidthOne() {
        final TrialCurves one = new TrialCurves(1, 5);
        one.record(0, new double[] {1, 0.5, 0.25, 0.125, 0.0625});
        assertNull(one.band(), "one trial: no spread to estimate, no band");
        final TrialCurves same = new TrialCurves(3, 2);
        for (int t = 0; t < 3; t++) {
            same.record(t, new double[] {0.5, 0.25});
        }
        assertArrayEquals(new double[] {0.5, 0.25}, same.band().lower(), 0.0);
        assertArrayEquals(new double[] {0.5, 0.25}, same.band().upper(), 0.0);
    }

    @Test
    void aLowerEndThatReachesZeroIsMinusInfinityInDb() {
        final TrialCurves two = new TrialCurves(2, 1);
        two.record(0, new double[] {1e-3});
        two.record(1, new double[] {1.0});
        final ConfidenceBand band = two.band();
        assertTrue(band.lower()[0] < 0, "t_{0.975,1} = 12.7: the interval reaches below zero");
        assertEquals(Double.NEGATIVE_INFINITY, band.lowerDb()[0]);
        assertTrue(Double.isFinite(band.upperDb()[0]));
    }
}
