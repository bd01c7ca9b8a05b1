package io.fedlink.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.data.StackedLeastSquares;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.core.schedule.UniformScheduler;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How one trial drives the rules: who starts, who moves in a round, and what the NMSE measures. */
class ReferenceFederationTest {

    private static final long SEED = 91;
    private static final int K = 10;
    private static final int L = 6;
    private static final int C = 3;
    private static final SampleCounts COUNTS = SampleCounts.uniform(2, 5);

    private static Experiment experiment(SeriesSpec series) {
        return new Experiment(K, L, 1.0, COUNTS, 20, 1, SEED, SchedulingPolicy.UNIFORM, List.of(series));
    }

    private static ReferenceFederation federation(FederatedAlgorithm algorithm, int selected, double variance) {
        final SeriesSpec series = new SeriesSpec(algorithm, selected, variance, variance);
        final Experiment experiment = experiment(series);
        return new ReferenceFederation(experiment, experiment.generateProblem(), series, 0);
    }

    @Test
    void nmseIsMeanSquaredDeviationOfLocalModelsOverSquaredNormOfOptimum() {
        // Eq. (35), recomputed from the local models and an independent (QR) w*.
        final double[] optimum = StackedLeastSquares.optimum(SEED, K, L, COUNTS);
        double optimumNorm = 0.0;
        for (double v : optimum) {
            optimumNorm += v * v;
        }
        final ReferenceFederation federation = federation(FederatedAlgorithm.RERCE, C, 1e-2);
        for (int n = 0; n < 5; n++) {
            federation.runRound();
            double sum = 0.0;
            for (int k = 0; k < K; k++) {
                final double[] w = federation.clientModel(k);
                for (int i = 0; i < L; i++) {
                    sum += (w[i] - optimum[i]) * (w[i] - optimum[i]);
                }
            }
            final double expected = sum / (K * optimumNorm);
            // The two w* agree to ~1e-15; the deviations are ~1e-1 of ||w*||: 1e-10 relative is slack.
            assertEquals(expected, federation.nmse(), 1e-10 * expected, "round " + (n + 1));
        }
    }

    @Test
    void rerceStartsFromTheMeanOfTheClientsScheduledForRoundZero() {
        final SeriesSpec series = new SeriesSpec(FederatedAlgorithm.RERCE, C, 0.0, 0.0);
        final Experiment experiment = experiment(series);
        final FederatedProblem problem = experiment.generateProblem();
        final ReferenceFederation federation = new ReferenceFederation(experiment, problem, series, 0);

        // S_0 is the first draw of trial 0's scheduling stream.
        final RandomStream schedule = StreamKeys.stream(SEED, 0, StreamPurpose.SCHEDULE, 0);
        final int[] starters = new UniformScheduler(C).select(IntStream.range(0, K).toArray(), schedule);
        final double[] mean = new double[L];
        for (int k : starters) {
            for (int i = 0; i < L; i++) {
                mean[i] += problem.client(k).localSolution()[i] / C;
            }
        }
        assertArrayEquals(mean, federation.globalModel(), 1e-14);
        // And round 1 polls the stream's second draw.
        final int[] second = new UniformScheduler(C).select(IntStream.range(0, K).toArray(), schedule);
        assertArrayEquals(second, federation.runRound());
    }

    @Test
    void everyClientStartsFromItsLocalSolution() {
        final FederatedProblem problem = FederatedProblem.generate(SEED, K, L, COUNTS, 1.0);
        for (FederatedAlgorithm algorithm : FederatedAlgorithm.all()) {
            final SeriesSpec s = new SeriesSpec(algorithm, K, 1e-2, 1e-2);
            final ReferenceFederation federation = new ReferenceFederation(experiment(s), problem, s, 0);
            for (int k = 0; k < K; k++) {
                assertArrayEquals(problem.client(k).localSolution(), federation.clientModel(k), algorithm.id());
            }
            assertEquals(0, federation.round());
        }
    }

    @Test
    void underRerceOnlyPolledClientsMove() {
        final ReferenceFederation federation = federation(FederatedAlgorithm.RERCE, C, 1e-2);
        for (int n = 1; n <= 10; n++) {
            final double[][] before = models(federation);
            final int[] polled = federation.runRound();
            assertEquals(C, polled.length);
            for (int k = 0; k < K; k++) {
                final boolean moved = !Arrays.equals(before[k], federation.clientModel(k));
                assertEquals(Arrays.binarySearch(polled, k) >= 0, moved, "round " + n + ", client " + k);
            }
            assertEquals((long) n * C, federation.clientUpdates());
            assertEquals(n, federation.round());
        }
    }

    @Test
    void underContinualRerceEveryClientMovesEveryRound() {
        final ReferenceFederation federation = federation(FederatedAlgorithm.RERCE_CONTINUAL, C, 1e-2);
        for (int n = 1; n <= 10; n++) {
            final double[][] before = models(federation);
            federation.runRound();
            for (int k = 0; k < K; k++) {
                assertFalse(Arrays.equals(before[k], federation.clientModel(k)), "round " + n + ", client " + k);
            }
            assertEquals((long) n * K, federation.clientUpdates());
        }
    }

    private static double[][] models(ReferenceFederation federation) {
        final double[][] models = new double[K][];
        for (int k = 0; k < K; k++) {
            models[k] = federation.clientModel(k);
        }
        return models;
    }
}
