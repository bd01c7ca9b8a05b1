package io.fedlink.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** w* (3) against an independent QR least-squares solve, and how the problem relates to its data. */
class FederatedProblemTest {

    @Test
    void optimumMatchesQrSolutionOfStackedWeightedDataInPaperSetting() {
        final long seed = 5;
        final FederatedProblem problem = FederatedProblem.generate(seed, 100, 128, SampleCounts.paper(), 1.0);
        final double[] expected = StackedLeastSquares.optimum(seed, 100, 128, SampleCounts.paper());

        // The stacked 7038 x 128 system is well conditioned (cond ~ 10): 1e-9 is slack; measured 3e-15.
        final double error = StackedLeastSquares.relativeError(problem.optimum(), expected);
        assertTrue(error < 1e-9, () -> "relative error " + error);
    }

    @Test
    void optimumMatchesQrSolutionOfStackedWeightedDataInSmallSetting() {
        final long seed = 6;
        final FederatedProblem problem = FederatedProblem.generate(seed, 6, 6, SampleCounts.uniform(2, 5), 1.0);
        final double[] expected = StackedLeastSquares.optimum(seed, 6, 6, SampleCounts.uniform(2, 5));

        final double error = StackedLeastSquares.relativeError(problem.optimum(), expected);
        assertTrue(error < 1e-9, () -> "relative error " + error);
    }

    @Test
    void optimumIsCloseToTrueModelButNotEqualToIt() {
        // w* is the WLS estimate from noisy observations (nu ~ N(0, 1e-4)), not omega. With n = 7038
        // unit-variance regressors, E||w* - omega||^2 ~ 1e-4 L / n and ||omega||^2 = L, so the relative
        // error is ~ sqrt(1e-4 / 7038) = 1.2e-4 (measured 1.23e-4): well away from 0, and small.
        final FederatedProblem problem = FederatedProblem.generate(5, 100, 128, SampleCounts.paper(), 1.0);
        final double error = StackedLeastSquares.relativeError(problem.optimum(), problem.trueModel());
        assertTrue(error > 4e-5 && error < 4e-4, () -> "||w* - omega|| / ||omega|| = " + error);
    }

    @Test
    void clientConstantsAreThoseOfEachClientsOwnData() {
        final long seed = 8;
        final FederatedProblem problem = FederatedProblem.generate(seed, 10, 8, SampleCounts.uniform(20, 40), 3.0);
        final DataGenerator generator = new DataGenerator(seed, 8, SampleCounts.uniform(20, 40));
        assertEquals(10, problem.clientCount());
        assertEquals(8, problem.dimension());
        for (int k = 0; k < 10; k++) {
            final ClientConstants alone = ClientConstants.of(generator.client(k), 3.0);
            final ClientConstants inProblem = problem.client(k);
            assertEquals(k, inProblem.clientId());
            assertArrayEquals(alone.localSolution(), inProblem.localSolution());   // bit-identical
            assertArrayEquals(alone.penalisedMatrix().data, inProblem.penalisedMatrix().data);
        }
    }

    @Test
    void squaredNormAndDeviationAreMeasuredFromOptimum() {
        final FederatedProblem problem = FederatedProblem.generate(8, 10, 8, SampleCounts.uniform(20, 40), 1.0);
        final double[] optimum = problem.optimum();
        double norm = 0.0;
        for (double v : optimum) {
            norm += v * v;
        }
        assertEquals(norm, problem.optimumSquaredNorm(), 1e-14 * norm);
        final double[] shifted = optimum.clone();
        shifted[3] += 0.5;
        assertEquals(0.25, problem.squaredDeviation(shifted), 1e-15);
        assertEquals(0.0, problem.squaredDeviation(optimum));
    }

    @Test
    void optimumAccessorReturnsACopy() {
        final FederatedProblem problem = FederatedProblem.generate(8, 10, 8, SampleCounts.uniform(20, 40), 1.0);
        final double[] first = problem.optimum();
        final double original = first[0];
        first[0] += 1.0;
        // Compared with the value read before the change: (x + 1) - 1 is not always x in floating point.
        assertEquals(original, problem.optimum()[0]);
    }

    @Test
    void paperCountsWithOtherThanHundredClientsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> FederatedProblem.generate(1, 50, 8, SampleCounts.paper(), 1.0));
    }

    @Test
    void federationWithFewerSamplesThanDimensionIsRefused() {
        // Two clients with at most 5 samples each cannot determine 16 parameters: w* does not exist.
        assertThrows(IllegalStateException.class,
                () -> FederatedProblem.generate(1, 2, 16, SampleCounts.uniform(2, 5), 1.0));
    }
}
