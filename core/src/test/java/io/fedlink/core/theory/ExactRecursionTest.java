package io.fedlink.core.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The block algebra of {@link RerceMeanSquareTheory} against the affine model of one round written
 * out densely ({@link DenseRerceModel}): first exactly, averaging B(a) R B(a)^T + V(a) over every
 * C-subset, then statistically, by sampling the affine system itself.
 */
class ExactRecursionTest {

    /** A small federation whose clients hold fewer samples than L, so P_k is far from 0. */
    private static FederatedProblem smallProblem() {
        return FederatedProblem.generate(11L, 4, 3, SampleCounts.uniform(1, 2), 1.0);
    }

    /** Different uplink and downlink variances on every client, to catch a swapped index. */
    private static LinkVariances unevenLinks() {
        return LinkVariances.perClient(new double[] {1e-2, 2e-3, 0.0, 5e-3}, new double[] {3e-3, 0.0, 8e-3, 1e-3});
    }

    private static double relativeDifference(DMatrixRMaj a, DMatrixRMaj b) {
        final DMatrixRMaj d = new DMatrixRMaj(a.numRows, a.numCols);
        CommonOps_DDRM.subtract(a, b, d);
        return NormOps_DDRM.normF(d) / NormOps_DDRM.normF(b);
    }

    @ParameterizedTest(name = "C = {0}")
    @CsvSource({"1", "2", "3", "4"})
    void startMomentEqualsAverageOverRoundZeroSelections(int selected) {
        final FederatedProblem problem = smallProblem();
        final RerceMeanSquareTheory theory = RerceMeanSquareTheory.of(problem, selected, unevenLinks());
        final DenseRerceModel dense = new DenseRerceModel(problem, selected, unevenLinks());
        assertTrue(relativeDifference(theory.start().toDense(), dense.start()) < 1e-13);
    }

    @ParameterizedTest(name = "C = {0}")
    @CsvSource({"1", "2", "3", "4"})
    void everyRoundEqualsAverageOverEverySelection(int selected) {
        final FederatedProblem problem = smallProblem();
        final RerceMeanSquareTheory theory = RerceMeanSquareTheory.of(problem, selected, unevenLinks());
        final DenseRerceModel dense = new DenseRerceModel(problem, selected, unevenLinks());
        BlockMoment moment = theory.start();
        DMatrixRMaj reference = dense.start();
        for (int n = 1; n <= 30; n++) {
            final BlockMoment next = new BlockMoment(problem.clientCount() + 2, problem.dimension());
            theory.step(moment, next);
            moment = next;
            reference = dense.step(reference);
            assertTrue(relativeDifference(moment.toDense(), reference) < 1e-11, "round " + n);
            assertEquals(dense.nmse(reference), theory.nmse(moment), 1e-12 * dense.nmse(reference));
        }
    }

    @Test
    void learningCurveIsTheNmseOfRoundsOneToT() {
        final FederatedProblem problem = smallProblem();
        final RerceMeanSquareTheory theory = RerceMeanSquareTheory.of(problem, 2, unevenLinks());
        final DenseRerceModel dense = new DenseRerceModel(problem, 2, unevenLinks());
        final double[] curve = theory.learningCurve(5);
        DMatrixRMaj reference = dense.start();
        for (int n = 1; n <= 5; n++) {
            reference = dense.step(reference);
            assertEquals(dense.nmse(reference), curve[n - 1], 1e-12 * curve[n - 1]);
        }
    }

    /**
     * Sampling the affine system: 20000 trajectories of 40 rounds. The mean NMSE must agree with the
     * recursion within 4 standard errors at every round (a statistical, not an exact, check).
     */
    @Test
    void sampledAffineSystemAgreesWithRecursion() {
        final FederatedProblem problem = smallProblem();
        final int selected = 2;
        final int rounds = 40;
        final int trials = 20_000;
        final double[] predicted = RerceMeanSquareTheory.of(problem, selected, unevenLinks()).learningCurve(rounds);
        final DenseRerceModel dense = new DenseRerceModel(problem, selected, unevenLinks());
        final Random rng = new Random(20240920L);
        final double[] sum = new double[rounds];
        final double[] sumSquares = new double[rounds];
        for (int t = 0; t < trials; t++) {
            final double[] curve = dense.sample(rounds, rng);
            for (int n = 0; n < rounds; n++) {
                sum[n] += curve[n];
                sumSquares[n] += curve[n] * curve[n];
            }
        }
        for (int n = 0; n < rounds; n++) {
            final double mean = sum[n] / trials;
            final double standardError = Math.sqrt((sumSquares[n] / trials - mean * mean) / trials);
            assertEquals(predicted[n], mean, 4.0 * standardError, "round " + (n + 1));
        }
    }

    @Test
    void parallelRoundsEqualSequentialRoundsBitForBit() {
        final int clients = RerceMeanSquareTheory.PARALLEL_FROM + 4;
        final FederatedProblem problem = FederatedProblem.generate(3L, clients, 4, SampleCounts.uniform(1, 3), 1.0);
        final LinkVariances links = LinkVariances.uniform(clients, 1e-2, 5e-3);
        final double[] parallel = RerceMeanSquareTheory.of(problem, 7, links).learningCurve(60);
        final double[] sequential = RerceMeanSquareTheory.sequential(problem, 7, links).learningCurve(60);
        assertArrayEquals(sequential, parallel);
    }

    @Test
    void leavesTheProblemUntouched() {
        final FederatedProblem problem = smallProblem();
        final double[] before = problem.client(0).localSolution().clone();
        RerceMeanSquareTheory.of(problem, 2, unevenLinks()).learningCurve(3);
        assertArrayEquals(before, problem.client(0).localSolution());
    }

    @Test
    void refusesSelectionsOutsideOneToK() {
        final FederatedProblem problem = smallProblem();
        assertThrows(IllegalArgumentException.class,
                () -> RerceMeanSquareTheory.of(problem, 0, LinkVariances.noiseless(4)));
        assertThrows(IllegalArgumentException.class,
                () -> RerceMeanSquareTheory.of(problem, 5, LinkVariances.noiseless(4)));
        assertThrows(IllegalArgumentException.class,
                () -> RerceMeanSquareTheory.of(problem, 2, LinkVariances.noiseless(3)));
    }
}
