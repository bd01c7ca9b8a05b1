package io.fedlink.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The determinism contract: one root seed fixes every curve bit for bit, whatever the parallelism.
 * Curves are compared with exact equality ({@code assertArrayEquals} on doubles compares bits).
 */
class DeterminismTest {

    private static final double VARIANCE = 1e-2;
    private static final int K = 12;

    /** Every algorithm, noisy links, partial participation where allowed: all streams are exercised. */
    private static Experiment experiment(long seed) {
        return new Experiment(K, 8, 1.0, SampleCounts.uniform(3, 6), 60, 5, seed, SchedulingPolicy.UNIFORM,
                List.of(new SeriesSpec(FederatedAlgorithm.ADMM, 4, VARIANCE, VARIANCE),
                        new SeriesSpec(FederatedAlgorithm.DUAL_FREE, K, VARIANCE, VARIANCE),
                        new SeriesSpec(FederatedAlgorithm.RERCE, 4, VARIANCE, VARIANCE),
                        new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 4, VARIANCE, VARIANCE)));
    }

    private static List<SeriesResult> run(Experiment experiment, int parallelism) {
        // A fresh problem every time: data generation is part of what must be reproducible.
        return new ReferenceEngine(parallelism).run(experiment, experiment.generateProblem(), ProgressListener.NONE);
    }

    @Test
    void sameSeedGivesBitIdenticalCurves() {
        final List<SeriesResult> first = run(experiment(77), 2);
        final List<SeriesResult> second = run(experiment(77), 2);
        for (int s = 0; s < first.size(); s++) {
            assertArrayEquals(first.get(s).nmse(), second.get(s).nmse(), first.get(s).spec().label());
        }
    }

    @Test
    void parallelismDoesNotChangeCurves() {
        final List<SeriesResult> sequential = run(experiment(78), 1);
        final List<SeriesResult> parallel = run(experiment(78), 2);
        for (int s = 0; s < sequential.size(); s++) {
            assertArrayEquals(sequential.get(s).nmse(), parallel.get(s).nmse(), sequential.get(s).spec().label());
        }
    }

    @Test
    void differentSeedGivesDifferentCurves() {
        final List<SeriesResult> a = run(experiment(79), 2);
        final List<SeriesResult> b = run(experiment(80), 2);
        for (int s = 0; s < a.size(); s++) {
            assertFalse(Arrays.equals(a.get(s).nmse(), b.get(s).nmse()), a.get(s).spec().label());
        }
    }

    @Test
    void trialsOfOneSeriesDrawDifferentNoiseAndSchedules() {
        final Experiment experiment = experiment(81);
        final var problem = experiment.generateProblem();
        for (SeriesSpec series : experiment.series()) {
            final TrialCurve first = ReferenceEngine.runTrial(experiment, problem, series, 0);
            final TrialCurve second = ReferenceEngine.runTrial(experiment, problem, series, 1);
            assertFalse(Arrays.equals(first.nmse(), second.nmse()), series.label());
        }
    }

    @Test
    void engineCurveIsTheLinearMeanOfItsTrialsInTrialOrder() {
        // The average the engine reports, recomputed from the single-trial oracle: same summation
        // order, so equal to the bit.
        final Experiment experiment = experiment(82);
        final var problem = experiment.generateProblem();
        final List<SeriesResult> results = run(experiment, 2);
        for (int s = 0; s < results.size(); s++) {
            final SeriesSpec series = experiment.series().get(s);
            final double[] mean = new double[experiment.rounds()];
            long updates = 0;
            for (int t = 0; t < experiment.trials(); t++) {
                final TrialCurve curve = ReferenceEngine.runTrial(experiment, problem, series, t);
                for (int n = 0; n < mean.length; n++) {
                    mean[n] += curve.nmse()[n];
                }
                updates += curve.clientUpdates();
            }
            for (int n = 0; n < mean.length; n++) {
                mean[n] /= experiment.trials();
            }
            assertArrayEquals(mean, results.get(s).nmse(), series.label());
            assertEquals(updates, results.get(s).clientUpdates(), series.label());
            assertEquals(experiment.trials(), results.get(s).trials());
            assertEquals(series, results.get(s).spec());
        }
    }
}
