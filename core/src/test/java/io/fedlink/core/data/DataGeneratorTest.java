package io.fedlink.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The synthetic data of SPEC section 6, and its independence from what else is generated. */
class DataGeneratorTest {

    private static final int L = 128;

    @Test
    void clientDataIsTheSameWhetherGeneratedAloneOrWithTheWholeFederation() {
        // A cluster node generates only its own clients; it must see the same numbers as one JVM.
        final DataGenerator whole = new DataGenerator(21, L, SampleCounts.paper());
        final ClientData[] all = new ClientData[100];
        for (int k = 0; k < 100; k++) {
            all[k] = whole.client(k);
        }
        for (int k : new int[] {0, 41, 99}) {
            final ClientData alone = new DataGenerator(21, L, SampleCounts.paper()).client(k);
            assertArrayEquals(all[k].regressors().data, alone.regressors().data);
            assertArrayEquals(all[k].observations().data, alone.observations().data);
        }
        // And in reverse order from a fresh generator: no client's draw depends on another's.
        final DataGenerator reversed = new DataGenerator(21, L, SampleCounts.paper());
        for (int k = 99; k >= 0; k--) {
            assertArrayEquals(all[k].regressors().data, reversed.client(k).regressors().data);
        }
    }

    @Test
    void sampledCountsAreAlsoIndependentOfGenerationOrder() {
        final DataGenerator forward = new DataGenerator(3, 6, SampleCounts.uniform(2, 5));
        final int[] counts = new int[30];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = forward.client(k).samples();
        }
        for (int k = counts.length - 1; k >= 0; k--) {
            assertEquals(counts[k], new DataGenerator(3, 6, SampleCounts.uniform(2, 5)).client(k).samples());
        }
    }

    @Test
    void differentSeedsGiveDifferentData() {
        final ClientData a = new DataGenerator(1, L, SampleCounts.paper()).client(0);
        final ClientData b = new DataGenerator(2, L, SampleCounts.paper()).client(0);
        assertFalse(Arrays.equals(a.regressors().data, b.regressors().data));
        assertFalse(Arrays.equals(new DataGenerator(1, L, SampleCounts.paper()).trueModel(),
                new DataGenerator(2, L, SampleCounts.paper()).trueModel()));
    }

    @Test
    void differentClientsGetDifferentData() {
        final DataGenerator generator = new DataGenerator(1, 8, SampleCounts.uniform(40, 40));
        assertFalse(Arrays.equals(generator.client(0).regressors().data, generator.client(1).regressors().data));
    }

    @Test
    void trueModelIsCentredWithUnitMeanPower() {
        for (long seed = 0; seed < 5; seed++) {
            final double[] omega = new DataGenerator(seed, L, SampleCounts.paper()).trueModel();
            assertEquals(L, omega.length);
            double sum = 0.0;
            double power = 0.0;
            for (double v : omega) {
                sum += v;
                power += v * v;
            }
            // Exact up to rounding over 128 terms of size ~1.
            assertEquals(0.0, sum / L, 1e-14);
            assertEquals(1.0, power / L, 1e-13);
        }
    }

    @Test
    void trueModelIsSharedByEveryGeneratorWithTheSameSeed() {
        assertArrayEquals(new DataGenerator(9, L, SampleCounts.paper()).trueModel(),
                new DataGenerator(9, L, SampleCounts.uniform(50, 90)).trueModel());
        assertArrayEquals(new DataGenerator(9, L, SampleCounts.paper()).trueModel(),
                FederatedProblem.generate(9, 100, L, SampleCounts.paper(), 1.0).trueModel());
    }

    @Test
    void observationsAreTrueModelPlusNoiseOfVarianceOneInTenThousand() {
        assertEquals(1e4, DataGenerator.WEIGHT);           // W_k = 1e4 I, the inverse noise variance
        final DataGenerator generator = new DataGenerator(13, L, SampleCounts.paper());
        final double[] omega = generator.trueModel();
        double sum = 0.0;
        double sumSquares = 0.0;
        int n = 0;
        for (int k = 0; k < 100; k++) {
            final ClientData data = generator.client(k);
            assertEquals(DataGenerator.WEIGHT, data.weight());
            for (int r = 0; r < data.samples(); r++) {
                double prediction = 0.0;
                for (int c = 0; c < L; c++) {
                    prediction += data.regressors().get(r, c) * omega[c];
                }
                final double residual = data.observations().get(r, 0) - prediction;
                sum += residual;
                sumSquares += residual * residual;
                n++;
            }
        }
        assertEquals(7038, n);
        final double variance = 1e-4;
        // 5 sigma: the mean has sd sqrt(var / n), the sample variance sd var sqrt(2 / n).
        assertEquals(0.0, sum / n, 5 * Math.sqrt(variance / n));
        assertEquals(variance, sumSquares / n, 5 * variance * Math.sqrt(2.0 / n));
    }

    @Test
    void regressorsAreGaussianWithClientSpecificMeanAndVariance() {
        // mu_k ~ U(-0.5, 0.5), var_k ~ U(0.5, 1.5): each client's sample moments lie in those ranges
        // up to 5 sd of the estimate, and the clients differ from each other (non-IID).
        final DataGenerator generator = new DataGenerator(17, L, SampleCounts.paper());
        double lowestMean = Double.POSITIVE_INFINITY;
        double highestMean = Double.NEGATIVE_INFINITY;
        double lowestVariance = Double.POSITIVE_INFINITY;
        double highestVariance = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 100; k++) {
            final double[] x = generator.client(k).regressors().data;
            final double mean = Arrays.stream(x).average().orElseThrow();
            final double variance = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1);
            final double meanSlack = 5 * Math.sqrt(1.5 / x.length);
            final double varianceSlack = 5 * 1.5 * Math.sqrt(2.0 / x.length);
            assertTrue(mean > -0.5 - meanSlack && mean < 0.5 + meanSlack, "client " + k + " mean " + mean);
            assertTrue(variance > 0.5 - varianceSlack && variance < 1.5 + varianceSlack,
                    "client " + k + " variance " + variance);
            lowestMean = Math.min(lowestMean, mean);
            highestMean = Math.max(highestMean, mean);
            lowestVariance = Math.min(lowestVariance, variance);
            highestVariance = Math.max(highestVariance, variance);
        }
        // The range of 100 uniform draws falls below 80% of the interval with probability 5e-9.
        assertTrue(highestMean - lowestMean > 0.8, "means span " + (highestMean - lowestMean));
        assertTrue(highestVariance - lowestVariance > 0.8, "variances span " + (highestVariance - lowestVariance));
    }

    @Test
    void paperCountsGiveEachClientItsPublishedSampleCount() {
        final DataGenerator generator = new DataGenerator(1, 8, SampleCounts.paper());
        final SampleCounts.PaperCounts paper = (SampleCounts.PaperCounts) SampleCounts.paper();
        for (int k = 0; k < 100; k++) {
            assertEquals(paper.count(k), generator.client(k).samples());
        }
    }

    @Test
    void dimensionBelowTwoIsRefused() {
        // omega is centred: with L = 1 it is zero and the NMSE is undefined.
        assertThrows(IllegalArgumentException.class, () -> new DataGenerator(1, 1, SampleCounts.paper()));
    }
}
